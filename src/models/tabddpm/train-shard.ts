/**
 * One shard of data-parallel training. Every shard holds the same weights, takes its slice of
 * each batch (same epoch order everywhere), computes the gradient of its rows' share of the
 * batch loss, and after the exchange applies the same summed gradient with the same AdamW, so
 * the weights stay identical without being sent. Shard 0 keeps the weight average.
 */
import { tf } from '../../core/backend.js';
import { createRng, permutation, type Rng } from '../../core/rng.js';
import type { EncodedRows } from '../transformers/codec.js';
import { FlatAdamW, updateAverage } from '../nn/flat-adamw.js';
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
import { ShardSync, type SharedBuffers } from './shard-sync.js';
import type { TabDdpmParams } from './space.js';

export interface ShardJob {
  readonly shard: number;
  readonly shards: number;
  readonly data: EncodedRows;
  readonly dNum: number;
  readonly spanSizes: number[];
  readonly params: TabDdpmParams;
  readonly seed: number;
  readonly initialWeights: Float32Array;
  readonly buffers: SharedBuffers;
  readonly reportEvery: number;
  /** Pause for a checkpoint (shard 0 sends the weight average, all wait for the verdict) every this many epochs; 0: never. */
  readonly checkEvery: number;
}

export interface ShardProgress {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly seconds: number;
}

export interface ShardResult {
  readonly average: Float32Array | null;
  readonly epochLoss: number[];
  readonly stepsDone: number;
  readonly epochsDone: number;
  readonly stopped: boolean;
  /** True when a checkpoint's verdict ended training. */
  readonly earlyStopped: boolean;
  readonly seconds: number;
}

export type CheckpointSink = (epoch: number, average: Float32Array) => void;

const ORDER_SALT = 0x0de5;

export function trainShard(
  job: ShardJob,
  onProgress: (p: ShardProgress) => void,
  onCheckpoint: CheckpointSink = () => {},
): ShardResult {
  const { data, dNum, params, shard, shards } = job;
  const geometry = spanGeometry(job.spanSizes);
  const schedule = cosineSchedule(params.num_timesteps);
  const timeTable = timeFeatureTable(schedule.steps);
  const model = denoiserFromWeights(
    { inputWidth: dNum + geometry.width, layers: params.layers, width: params.width },
    job.initialWeights,
  );
  const variables = denoiserVariables(model);
  const weights = job.initialWeights.slice();
  const optimizer = new FlatAdamW(weights, { weightDecay: params.weight_decay });
  const average = shard === 0 ? job.initialWeights.slice() : null;
  const summed = new Float32Array(weights.length);
  const sync = new ShardSync(job.buffers, shard, shards, weights.length);
  // Every shard draws the same epoch orders; noise and timesteps come from its own stream.
  const orderRng = createRng((job.seed ^ ORDER_SALT) >>> 0);
  const rng = createRng((job.seed + 0x9e3779b9 * (shard + 1)) >>> 0);
  const batchSize = Math.min(params.batch_size, data.rows);
  const stepsPerEpoch = Math.ceil(data.rows / batchSize);
  const totalSteps = stepsPerEpoch * params.n_iter;
  const started = performance.now();
  const epochLoss: number[] = [];
  let step = 0;
  let stop = false;
  let earlyStopped = false;
  let checkpoints = 0;
  try {
    for (let epoch = 0; epoch < params.n_iter && !stop; epoch++) {
      const order = permutation(data.rows, orderRng);
      let lossSum = 0;
      for (let start = 0; start < data.rows && !stop; start += batchSize) {
        const size = Math.min(batchSize, data.rows - start);
        const lo = start + Math.floor((size * shard) / shards);
        const hi = start + Math.floor((size * (shard + 1)) / shards);
        const slot = sync.gradSlot(step);
        if (hi > lo) {
          const batch = buildBatch(data, order.subarray(lo, hi), dNum, geometry, schedule, timeTable, rng);
          sync.setLoss(
            step,
            gradientInto(slot, model, variables, batch, { dNum, geometry, schedule, params, batchSize: size }, rng),
          );
        } else {
          slot.fill(0);
          sync.setLoss(step, 0);
        }
        const exchanged = sync.exchange(step, summed);
        stop = exchanged.stop;
        optimizer.apply(summed, params.lr * (1 - step / totalSteps));
        assignWeights(model, weights);
        if (average) updateAverage(average, weights, params.ema);
        lossSum += exchanged.loss;
        step++;
        if (shard === 0 && step % job.reportEvery === 0) {
          onProgress({
            epoch,
            step,
            steps: totalSteps,
            loss: lossSum / (step - epoch * stepsPerEpoch),
            seconds: elapsed(started),
          });
        }
      }
      if (step === (epoch + 1) * stepsPerEpoch) {
        epochLoss.push(lossSum / stepsPerEpoch);
        const done = epoch + 1;
        // Every shard reaches the same checkpoints and gets the same verdict, so early stopping keeps runs repeatable.
        if (!stop && job.checkEvery > 0 && done % job.checkEvery === 0 && done < params.n_iter) {
          if (average) onCheckpoint(done, average.slice());
          earlyStopped = stop = sync.awaitVerdict(++checkpoints);
        }
      }
    }
  } finally {
    for (const v of variables) v.dispose();
  }
  return {
    average,
    epochLoss,
    stepsDone: step,
    epochsDone: Math.floor(step / stepsPerEpoch),
    stopped: stop && !earlyStopped,
    earlyStopped,
    seconds: elapsed(started),
  };
}

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

const elapsed = (since: number): number => (performance.now() - since) / 1000;
