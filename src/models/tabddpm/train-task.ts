/**
 * TabDDPM as a task of the training engine (../nn/train): one parameter group, the denoiser,
 * trained by AdamW with a linearly decaying lr and a weight average that sampling uses. In each
 * shard, the task builds the noised batch of its rows and the gradient of their share of the
 * mixed diffusion loss. The main side (`tabDdpmJob`) and the worker side (`createTask`) share
 * this file, so the payload's shape is checked on both. Under DP-SGD the denoiser is the private
 * group: its network runs the time MLP per row, so each row is one example whose gradient the
 * task clips before summing, and each row's timestep, noise, noised classes and dropout masks are
 * its own keyed draws (none from the seeded stream), so no row's presence moves another's.
 */
import { clipFactors } from '../../privacy/dp-sgd/clip.js';
import { STREAM } from '../../privacy/dp-sgd/keystream.js';
import type { PrivateSettings } from '../nn/train/private-plan.js';
import { privateDraws, type TaskFactory, type TrainJob } from '../nn/train/task.js';
import type { NetInputs } from '../nn/spec.js';
import type { EncodedRows } from '../transformers/codec.js';
import { batchDrawsPerRow, buildBatch, spanGeometry } from './batch.js';
import { STEP, TIME, X, denoiserSpec, timeFeaturesPerRow, timeFeatureTable } from './denoiser.js';
import { DiffusionLoss } from './diffusion-loss.js';
import { cosineSchedule } from './schedule.js';
import type { TabDdpmParams } from './space.js';

export const DENOISER = 'denoiser';

export interface TabDdpmPayload {
  readonly data: EncodedRows;
  readonly dNum: number;
  readonly spanSizes: number[];
  readonly params: TabDdpmParams;
  /** The per-row denoiser (denoiser.ts), which DP-SGD's per-example gradients need. */
  readonly timePerRow?: boolean;
}

export interface TabDdpmJobOptions {
  readonly seed: number;
  readonly initialWeights: Float32Array;
  readonly reportEvery: number;
  readonly checkEvery: number;
  /** Train with DP-SGD; the denoiser is the group it clips and noises. */
  readonly privacy?: PrivateSettings;
}

/** The engine job that trains TabDDPM's denoiser on `payload.data`. */
export function tabDdpmJob(payload: TabDdpmPayload, options: TabDdpmJobOptions): TrainJob<TabDdpmPayload> {
  const { params } = payload;
  return {
    task: new URL('./train-task.js', import.meta.url).href,
    payload: options.privacy ? { ...payload, timePerRow: true } : payload,
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
    ...(options.privacy ? { privacy: { ...options.privacy, groups: [DENOISER] } } : {}),
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
  const perRow = payload.timePerRow === true;
  const net = context.nets(denoiserSpec(shape, perRow), context.initial[DENOISER]);
  // A Poisson batch has no upper bound short of every row.
  const loss = new DiffusionLoss(dNum, geometry, schedule, perRow ? data.rows : Math.min(params.batch_size, data.rows));
  const { rng } = context;
  return {
    gradient(_group, slice, out) {
      // Under DP-SGD each row's draws are its own, keyed by its identity: a dropout seed, then the batch's draws.
      const keyed =
        slice.clipNorm === undefined
          ? null
          : privateDraws(context).perRow(STREAM.example, slice.step, slice.rows, 1 + batchDrawsPerRow(dNum, geometry));
      const rowSeeds = keyed && Uint32Array.from(slice.rows, (_, i) => keyed(i).int(2 ** 32));
      const batch = buildBatch(data, slice.rows, dNum, geometry, schedule, timeTable, keyed ?? rng);
      const dropoutSeed = params.dropout > 0 ? (rowSeeds ?? rng.int(2 ** 31)) : 0;
      const inputs: NetInputs = perRow
        ? { [X]: batch.input, [TIME]: timeFeaturesPerRow(timeTable, batch.steps) }
        : { [X]: batch.input, [TIME]: batch.timeFeatures, [STEP]: batch.stepIndex };
      if (slice.clipNorm === undefined) {
        const lossOf = (output: Float32Array) => loss.compute(output, batch, slice.batchSize);
        return net.gradient(inputs, dropoutSeed, lossOf, out);
      }
      // DP-SGD: each row's own loss (a batch of one), its gradient clipped to the norm, summed.
      const summedLoss = net.gradient(inputs, dropoutSeed, (output) => loss.compute(output, batch, 1), out, {
        perExample: true,
      });
      net.accumulate(clipFactors(net.exampleNorms(), slice.clipNorm), out);
      return summedLoss / slice.batchSize;
    },
    setWeights: (_group, weights) => net.setWeights(weights),
    dispose: () => net.dispose(),
  };
};
