/**
 * The training loop: epochs of shuffled batches, AdamW with a linearly decaying learning rate,
 * the weight average updated every step, progress through a callback, and a stop signal that
 * ends training after the current step with everything learnt so far kept.
 */
import { tf } from '../../core/backend.js';
import { permutation, type Rng } from '../../core/rng.js';
import { AdamW } from '../nn/adamw.js';
import { WeightAverage } from '../nn/ema.js';
import type { EncodedRows } from '../transformers/codec.js';
import { buildBatch, type SpanGeometry } from './batch.js';
import { TIME_DIM, denoise, denoiserVariables, timeFeatureTable, type Denoiser } from './denoiser.js';
import { mixedLoss, type SpanSums } from './loss.js';
import type { Schedule } from './schedule.js';
import type { TabDdpmParams } from './space.js';

export interface TrainProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly steps: number;
  /** Mean loss over the epoch so far (Gaussian MSE + weighted categorical KL). */
  readonly loss: number;
  readonly seconds: number;
}

export interface TrainOptions {
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Steps between progress reports (and loss reads). */
  readonly reportEvery?: number;
}

export interface TrainResult {
  readonly epochsDone: number;
  readonly stepsDone: number;
  readonly seconds: number;
  readonly stopped: boolean;
  /** Mean loss of each completed epoch. */
  readonly epochLoss: number[];
}

export interface TrainingSetup {
  readonly model: Denoiser;
  readonly average: WeightAverage;
  readonly data: EncodedRows;
  readonly dNum: number;
  readonly geometry: SpanGeometry;
  readonly spanSums: SpanSums | null;
  readonly schedule: Schedule;
  readonly params: TabDdpmParams;
}

export function train(setup: TrainingSetup, options: TrainOptions): TrainResult {
  const { model, data, dNum, geometry, schedule, params } = setup;
  const variables = denoiserVariables(model);
  const optimizer = new AdamW(variables, { weightDecay: params.weight_decay });
  const timeTable = timeFeatureTable(schedule.steps);
  const batchSize = Math.min(params.batch_size, data.rows);
  const stepsPerEpoch = Math.ceil(data.rows / batchSize);
  const totalSteps = stepsPerEpoch * params.n_iter;
  const reportEvery = options.reportEvery ?? 25;
  const started = performance.now();
  const epochLoss: number[] = [];
  let step = 0;
  let stopped = false;
  try {
    for (let epoch = 0; epoch < params.n_iter && !stopped; epoch++) {
      const order = permutation(data.rows, options.rng);
      let lossSum = 0;
      let lossCount = 0;
      for (let start = 0; start < data.rows; start += batchSize) {
        if (options.signal?.aborted) {
          stopped = true;
          break;
        }
        const batch = buildBatch(data, order.subarray(start, start + batchSize), dNum, geometry, schedule, timeTable, options.rng);
        const lr = params.lr * (1 - step / totalSteps);
        const loss = tf.tidy(() => {
          const size = batch.size;
          const input = tf.tensor2d(batch.input, [size, dNum + geometry.width]);
          const k = batch.distinctSteps;
          const time = {
            features: tf.tensor2d(batch.timeFeatures, [k, TIME_DIM]),
            pick: { matrix: tf.tensor2d(batch.pick, [size, k]), transposed: tf.tensor2d(batch.pickTransposed, [k, size]) },
          };
          const tensors = {
            noise: dNum ? tf.tensor2d(batch.noise, [size, dNum]) : null,
            mixScale: geometry.width ? tf.tensor2d(batch.mixScale, [size, geometry.width]) : null,
            mixShift: geometry.width ? tf.tensor2d(batch.mixShift, [size, geometry.width]) : null,
            target: geometry.width ? tf.tensor2d(batch.target, [size, geometry.width]) : null,
          };
          const seed = params.dropout > 0 ? options.rng.int(2 ** 31) : undefined;
          const { value, grads } = tf.variableGrads(
            () => mixedLoss(denoise(model, input, time, params.dropout, seed), tensors, dNum, setup.spanSums, schedule.steps).total,
            variables,
          );
          optimizer.apply(variables.map((v) => grads[v.name]), lr);
          setup.average.update();
          return value;
        });
        step++;
        if (step % reportEvery === 0 || start + batchSize >= data.rows) {
          lossSum += loss.dataSync()[0];
          lossCount++;
        }
        loss.dispose();
        if (step % reportEvery === 0) {
          options.onProgress?.({ epoch, epochs: params.n_iter, step, steps: totalSteps, loss: lossSum / lossCount, seconds: elapsed(started) });
        }
      }
      if (lossCount) epochLoss.push(lossSum / lossCount);
    }
  } finally {
    optimizer.dispose();
  }
  const epochsDone = Math.floor(step / stepsPerEpoch);
  options.onProgress?.({ epoch: epochsDone, epochs: params.n_iter, step, steps: totalSteps, loss: epochLoss.at(-1) ?? NaN, seconds: elapsed(started) });
  return { epochsDone, stepsDone: step, seconds: elapsed(started), stopped, epochLoss };
}

const elapsed = (since: number): number => (performance.now() - since) / 1000;
