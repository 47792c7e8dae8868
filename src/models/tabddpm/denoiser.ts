/**
 * The TabDDPM denoiser (MLPDiffusion in the reference): the noisy row is projected to dim_t,
 * the sinusoidal embedding of t goes through Linear-SiLU-Linear and is added to it, then an
 * MLP of `layers` ReLU blocks of `width` units and a linear head as wide as the row.
 */
import { tf } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import { dense, type DenseParams } from '../nn/dense.js';
import { initDense } from '../nn/init.js';
import { pickRows } from '../nn/pick-rows.js';

export const TIME_DIM = 128;

export interface DenoiserShape {
  readonly inputWidth: number;
  readonly layers: number;
  readonly width: number;
}

export interface Denoiser {
  readonly shape: DenoiserShape;
  readonly proj: DenseParams;
  readonly time1: DenseParams;
  readonly time2: DenseParams;
  readonly blocks: DenseParams[];
  readonly head: DenseParams;
}

export function createDenoiser(shape: DenoiserShape, rng: Rng): Denoiser {
  const blocks: DenseParams[] = [];
  for (let i = 0; i < shape.layers; i++) blocks.push(initDense(i === 0 ? TIME_DIM : shape.width, shape.width, rng));
  return {
    shape,
    proj: initDense(shape.inputWidth, TIME_DIM, rng),
    time1: initDense(TIME_DIM, TIME_DIM, rng),
    time2: initDense(TIME_DIM, TIME_DIM, rng),
    blocks,
    head: initDense(shape.layers ? shape.width : TIME_DIM, shape.inputWidth, rng),
  };
}

/** Every variable, in a fixed order (the order weights are saved in). */
export function denoiserVariables(model: Denoiser): tf.Variable[] {
  return [model.proj, model.time1, model.time2, ...model.blocks, model.head].flatMap((p) => [p.kernel, p.bias]);
}

/**
 * Which embedding each row gets: `features` holds the sinusoidal features of distinct timesteps
 * [k, TIME_DIM]; `pick` is a one-hot [batch, k] choosing a row of them per input row (null when
 * k = 1 and every row shares it). The time MLP then runs on k rows, not on the whole batch.
 */
export interface TimeInput {
  readonly features: tf.Tensor2D;
  readonly pick: { readonly matrix: tf.Tensor2D; readonly transposed: tf.Tensor2D } | null;
}

/** x: noisy rows [batch, inputWidth]. */
export function denoise(model: Denoiser, x: tf.Tensor2D, time: TimeInput, dropout = 0, seed?: number): tf.Tensor2D {
  const t1 = dense(time.features, model.time1);
  const perStep = dense(tf.mul(t1, tf.sigmoid(t1)), model.time2);
  const embedding = time.pick ? pickRows(time.pick, perStep) : perStep;
  let h = tf.add(dense(x, model.proj), embedding) as tf.Tensor2D;
  model.blocks.forEach((block, i) => {
    h = dense(h, block, 'relu');
    if (dropout > 0) h = tf.dropout(h, dropout, undefined, seed === undefined ? undefined : seed + i) as tf.Tensor2D;
  });
  return dense(h, model.head);
}

/** The reference's timestep_embedding: [cos(t f_k), sin(t f_k)] with f_k = 10000^(-k/half). */
export function timeFeatureTable(steps: number): Float32Array {
  const half = TIME_DIM / 2;
  const table = new Float32Array(steps * TIME_DIM);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < half; k++) {
      const angle = t * Math.exp((-Math.log(10000) * k) / half);
      table[t * TIME_DIM + k] = Math.cos(angle);
      table[t * TIME_DIM + half + k] = Math.sin(angle);
    }
  }
  return table;
}
