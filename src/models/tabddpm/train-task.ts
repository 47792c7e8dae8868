/**
 * TabDDPM as a task of the training engine (../nn/train): one parameter group, the denoiser,
 * trained by AdamW with a linearly decaying lr and a weight average that sampling uses. In each
 * shard, the task builds the noised batch of its rows and the gradient of their share of the
 * mixed diffusion loss. The main side (`tabDdpmJob`) and the worker side (`createTask`) share
 * this file, so the payload's shape is checked on both.
 */
import { tf } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import type { TaskFactory, TrainJob } from '../nn/train/task.js';
import type { EncodedRows } from '../transformers/codec.js';
import { buildBatch, spanGeometry, type SpanGeometry, type TrainingBatch } from './batch.js';
import {
  TIME_DIM,
  assignWeights,
  denoise,
  denoiserFromWeights,
  denoiserVariables,
  timeFeatureTable,
  type Denoiser,
} from './denoiser.js';
import { lossGradient } from './loss-gradient.js';
import { cosineSchedule, type Schedule } from './schedule.js';
import type { TabDdpmParams } from './space.js';

export const DENOISER = 'denoiser';

export interface TabDdpmPayload {
  readonly data: EncodedRows;
  readonly dNum: number;
  readonly spanSizes: number[];
  readonly params: TabDdpmParams;
}

export interface TabDdpmJobOptions {
  readonly seed: number;
  readonly initialWeights: Float32Array;
  readonly reportEvery: number;
  readonly checkEvery: number;
}

/** The engine job that trains TabDDPM's denoiser on `payload.data`. */
export function tabDdpmJob(payload: TabDdpmPayload, options: TabDdpmJobOptions): TrainJob<TabDdpmPayload> {
  const { params } = payload;
  return {
    task: new URL('./train-task.js', import.meta.url).href,
    payload,
    groups: [
      {
        name: DENOISER,
        initial: options.initialWeights,
        optimizer: { lr: params.lr, lrSchedule: 'linear', weightDecay: params.weight_decay, decay: 'decoupled' },
        averageRate: params.ema,
      },
    ],
    rows: payload.data.rows,
    batchSize: params.batch_size,
    epochs: params.n_iter,
    seed: options.seed,
    reportEvery: options.reportEvery,
    checkEvery: options.checkEvery,
  };
}

export const createTask: TaskFactory<TabDdpmPayload> = (payload, context) => {
  const { data, dNum, params } = payload;
  const geometry = spanGeometry(payload.spanSizes);
  const schedule = cosineSchedule(params.num_timesteps);
  const timeTable = timeFeatureTable(schedule.steps);
  const model = denoiserFromWeights(
    { inputWidth: dNum + geometry.width, layers: params.layers, width: params.width },
    context.initial[DENOISER],
  );
  const variables = denoiserVariables(model);
  const { rng } = context;
  return {
    gradient(_group, slice, out) {
      const batch = buildBatch(data, slice.rows, dNum, geometry, schedule, timeTable, rng);
      const gradient = { dNum, geometry, schedule, params, batchSize: slice.batchSize };
      return gradientInto(out, model, variables, batch, gradient, rng);
    },
    setWeights: (_group, weights) => assignWeights(model, weights),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
};

/**
 * Writes d(loss share)/d(weights) into `out` (denoiserShapes order) and returns the loss share.
 * The loss gradient with respect to the output comes from JS; sum(output * gradient) carries
 * it back through the network in one backward pass.
 */
function gradientInto(
  out: Float32Array,
  model: Denoiser,
  variables: tf.Variable[],
  batch: TrainingBatch,
  context: GradientContext,
  rng: Rng,
): number {
  const { dNum, geometry, schedule, params, batchSize } = context;
  return tf.tidy(() => {
    const size = batch.size;
    const k = batch.distinctSteps;
    const input = tf.tensor2d(batch.input, [size, dNum + geometry.width]);
    const time = {
      features: tf.tensor2d(batch.timeFeatures, [k, TIME_DIM]),
      pick: { matrix: tf.tensor2d(batch.pick, [size, k]), transposed: tf.tensor2d(batch.pickTransposed, [k, size]) },
    };
    const seed = params.dropout > 0 ? rng.int(2 ** 31) : undefined;
    let loss = 0;
    const { grads } = tf.variableGrads(() => {
      const output = denoise(model, input, time, params.dropout, seed);
      const result = lossGradient(output.dataSync() as Float32Array, batch, dNum, geometry, schedule.steps, batchSize);
      loss = result.loss;
      return tf.sum(tf.mul(output, tf.tensor2d(result.gradient, output.shape)));
    }, variables);
    let offset = 0;
    for (const v of variables) {
      out.set(grads[v.name].dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return loss;
  });
}

interface GradientContext {
  readonly dNum: number;
  readonly geometry: SpanGeometry;
  readonly schedule: Schedule;
  readonly params: TabDdpmParams;
  readonly batchSize: number;
}
