/**
 * TabDDPM as a task of the training engine (../nn/train): one parameter group, the denoiser,
 * trained by AdamW with a linearly decaying lr and a weight average that sampling uses. In each
 * shard, the task builds the noised batch of its rows and the gradient of their share of the
 * mixed diffusion loss. The main side (`tabDdpmJob`) and the worker side (`createTask`) share
 * this file, so the payload's shape is checked on both.
 */
import type { TaskFactory, TrainJob } from '../nn/train/task.js';
import { createNet } from '../nn/net/create-net.js';
import type { EncodedRows } from '../transformers/codec.js';
import { buildBatch, spanGeometry } from './batch.js';
import { STEP, TIME, X, denoiserSpec, timeFeatureTable } from './denoiser.js';
import { DiffusionLoss } from './diffusion-loss.js';
import { cosineSchedule } from './schedule.js';
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
  const shape = {
    inputWidth: dNum + geometry.width,
    layers: params.layers,
    width: params.width,
    dropout: params.dropout,
  };
  const net = createNet(denoiserSpec(shape), context.backend, context.initial[DENOISER]);
  const loss = new DiffusionLoss(dNum, geometry, schedule, Math.min(params.batch_size, data.rows));
  const { rng } = context;
  return {
    gradient(_group, slice, out) {
      const batch = buildBatch(data, slice.rows, dNum, geometry, schedule, timeTable, rng);
      const dropoutSeed = params.dropout > 0 ? rng.int(2 ** 31) : 0;
      const inputs = { [X]: batch.input, [TIME]: batch.timeFeatures, [STEP]: batch.stepIndex };
      const lossOf = (output: Float32Array) => loss.compute(output, batch, slice.batchSize);
      return net.gradient(inputs, dropoutSeed, lossOf, out);
    },
    setWeights: (_group, weights) => net.setWeights(weights),
    dispose: () => net.dispose(),
  };
};
