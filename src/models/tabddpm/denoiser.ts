/**
 * The TabDDPM denoiser (MLPDiffusion in the reference): the noisy row is projected to dim_t,
 * the sinusoidal embedding of t goes through Linear-SiLU-Linear and is added to it, then an
 * MLP of `layers` ReLU blocks of `width` units and a linear head as wide as the row.
 */
import { tf } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import { dense, type DenseParams } from '../nn/dense.js';
import { variableFrom } from '../nn/init.js';
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

/** Fan-in and fan-out of each dense layer, in the fixed order: proj, time1, time2, blocks, head. */
function layerSizes(shape: DenoiserShape): [number, number][] {
  const sizes: [number, number][] = [
    [shape.inputWidth, TIME_DIM],
    [TIME_DIM, TIME_DIM],
    [TIME_DIM, TIME_DIM],
  ];
  for (let i = 0; i < shape.layers; i++) sizes.push([i === 0 ? TIME_DIM : shape.width, shape.width]);
  sizes.push([shape.layers ? shape.width : TIME_DIM, shape.inputWidth]);
  return sizes;
}

/** Shapes of every weight (kernel, then bias, per layer), the order of flat weight arrays and saved files. */
export const denoiserShapes = (shape: DenoiserShape): number[][] =>
  layerSizes(shape).flatMap(([fanIn, fanOut]) => [[fanIn, fanOut], [fanOut]]);

export const weightCount = (shape: DenoiserShape): number =>
  denoiserShapes(shape).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);

/** PyTorch's nn.Linear default, seeded: kernel and bias uniform in +-1/sqrt(fan_in). */
export function initialWeights(shape: DenoiserShape, rng: Rng): Float32Array {
  const flat = new Float32Array(weightCount(shape));
  let offset = 0;
  for (const [fanIn, fanOut] of layerSizes(shape)) {
    const bound = 1 / Math.sqrt(fanIn);
    const end = offset + fanIn * fanOut + fanOut;
    for (; offset < end; offset++) flat[offset] = (2 * rng.next() - 1) * bound;
  }
  return flat;
}

/** A denoiser whose variables hold `flat` (laid out as denoiserShapes). */
export function denoiserFromWeights(shape: DenoiserShape, flat: Float32Array): Denoiser {
  let offset = 0;
  const variables = denoiserShapes(shape).map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    const v = variableFrom(flat.slice(offset, offset + size), s);
    offset += size;
    return v;
  });
  const next = (): DenseParams => ({ kernel: variables.shift()!, bias: variables.shift()! });
  return {
    shape,
    proj: next(),
    time1: next(),
    time2: next(),
    blocks: Array.from({ length: shape.layers }, next),
    head: next(),
  };
}

/** Overwrites the variables with `flat` (same layout). */
export function assignWeights(model: Denoiser, flat: Float32Array): void {
  let offset = 0;
  for (const v of denoiserVariables(model)) {
    const size = v.size;
    // A copy: the cpu backend keeps the array it is given, and `flat` changes every step.
    tf.tidy(() => v.assign(tf.tensor(flat.slice(offset, offset + size), v.shape)));
    offset += size;
  }
}

/** Every variable, in the order of denoiserShapes. */
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
