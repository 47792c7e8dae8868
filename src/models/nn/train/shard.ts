/**
 * One shard of data-parallel training. Every shard holds the same weights, takes its slice of
 * each batch (same epoch order everywhere), computes through the task the gradient of its rows'
 * share of the batch loss, and after the exchange applies the same summed gradient with the
 * same optimizer, so the weights stay identical without being sent. Shard 0 keeps the weight
 * averages, reports progress and sends checkpoints.
 */
import type { BackendName } from '../../../core/backend-names.js';
import type { NetMaker } from '../create-net.js';
import { createRng, permutation } from '../../../core/rng.js';
import { GroupState } from './group-state.js';
import { PrivateTraining } from './private-training.js';
import type { Exchange } from './exchange.js';
import type { TrainingRestart } from '../../synthesizer.js';
import { Restarts } from './restart.js';
import type { GroupWeights, TaskFactory, TrainJob, TrainProgress, TrainResult } from './task.js';

export interface ShardJob<Payload> extends TrainJob<Payload> {
  readonly backend: BackendName;
  readonly shard: number;
  readonly shards: number;
}

export interface ShardCallbacks {
  readonly onProgress: (progress: TrainProgress) => void;
  /** Shard 0 hands over each group's model weights (copies) at a checkpoint; the verdict comes through the exchange. */
  readonly onCheckpoint: (epoch: number, weights: GroupWeights) => void;
  /** Shard 0 tells of each restart from the last good checkpoint (restart.ts). */
  readonly onRestart?: (restart: TrainingRestart) => void;
}

/** Without checkpoints, the state a restart goes back to is kept about this many times per run. */
const KEPT_PER_RUN = 10;

const ORDER_SALT = 0x0de5;

/** The shard's seeded stream: distinct per shard, fixed by the seed. */
export const shardRng = (seed: number, shard: number) => createRng((seed + 0x9e3779b9 * (shard + 1)) >>> 0);

/** `nets` runs the task's networks on the job's backend (netMaker in ../create-net.ts). */
export function runShard<Payload>(
  job: ShardJob<Payload>,
  createTask: TaskFactory<Payload>,
  nets: NetMaker,
  sync: Exchange,
  callbacks: ShardCallbacks,
): TrainResult {
  const { shard, shards } = job;
  const groups = job.groups.map((g) => new GroupState(g, shard === 0));
  const schedule = stepOrder(job);
  const privacy = job.privacy ? new PrivateTraining(job.privacy, job, schedule) : null;
  const initial = Object.fromEntries(job.groups.map((g) => [g.name, g.initial]));
  const task = createTask(job.payload, {
    shard,
    shards,
    rng: shardRng(job.seed, shard),
    initial,
    nets,
    ...(privacy ? { privateDraws: privacy.draws } : {}),
  });
  // Every shard draws the same epoch orders.
  const orderRng = createRng((job.seed ^ ORDER_SALT) >>> 0);
  const batchSize = Math.min(job.batchSize, job.rows);
  // Under DP the epochs' batch count comes from the released count, as the accountant's plan does.
  const stepsPerEpoch = privacy ? privacy.stepsPerEpoch : Math.ceil(job.rows / batchSize);
  const totalSteps = stepsPerEpoch * job.epochs;
  const started = performance.now();
  const epochLoss: Record<string, number[]> = Object.fromEntries(groups.map((g) => [g.name, []]));
  // Per group, this epoch's summed loss and the exchanges summed.
  const lossSum = new Float64Array(groups.length);
  const lossCount = new Int32Array(groups.length);
  const meanLosses = () =>
    Object.fromEntries(groups.map((g, i) => [g.name, lossCount[i] ? lossSum[i] / lossCount[i] : 0]));
  let step = 0;
  let stop = false;
  let earlyStopped = false;
  let checkpoints = 0;
  // The state a restart goes back to: the initial one, then each checkpoint's (or every keepEvery epochs').
  const restarts = new Restarts(groups, !privacy);
  const keepEvery = job.checkEvery > 0 ? job.checkEvery : Math.ceil(job.epochs / KEPT_PER_RUN);
  // What went wrong with a loss of this step, if anything: every shard sees the same summed losses.
  let trouble: string | null = null;
  const restart = (epoch: number, reason: string) => {
    const restarted = restarts.restart(groups, epoch, step, reason);
    for (const g of groups) task.setWeights(g.name, g.weights);
    // The epoch's mean loss covers the steps after the restart.
    lossSum.fill(0);
    lossCount.fill(0);
    if (restarted.stopped) earlyStopped = stop = true;
    if (shard === 0) callbacks.onRestart?.(restarted);
  };
  try {
    for (let epoch = 0; epoch < job.epochs && !stop; epoch++) {
      // Without DP, an epoch is one pass in a seeded order; under DP each batch is its own Poisson sample.
      const order = privacy ? null : permutation(job.rows, orderRng);
      lossSum.fill(0);
      lossCount.fill(0);
      for (let b = 0; b < stepsPerEpoch && !stop; b++) {
        const batch = order ? order.subarray(b * batchSize, (b + 1) * batchSize) : privacy!.batch(step);
        const size = batch.length;
        const lo = sliceBound(size, shard, shards, job.rowMultiple ?? 1);
        const hi = sliceBound(size, shard + 1, shards, job.rowMultiple ?? 1);
        schedule.forEach((index, k) => {
          const group = groups[index];
          const exchange = step * schedule.length + k;
          const slot = sync.gradSlot(exchange, group.weights.length);
          const slice = {
            rows: batch.subarray(lo, hi),
            batchSize: size,
            epoch,
            step,
            clipNorm: privacy?.clipNorm(index),
          };
          // After a bad loss the step's other exchanges still happen (their slots alternate) but carry nothing.
          const skip = trouble !== null;
          if (!skip && (hi > lo || job.askEmptySlices)) sync.setLoss(exchange, task.gradient(group.name, slice, slot));
          else {
            slot.fill(0);
            sync.setLoss(exchange, 0);
          }
          const exchanged = sync.exchange(exchange, group.summed);
          stop ||= exchanged.stop;
          if (skip) return;
          // An empty Poisson batch has no loss to average; a bad one is not stepped with.
          if (size > 0) {
            trouble = restarts.check(index, exchanged.loss);
            if (trouble) return;
            lossSum[index] += exchanged.loss;
            lossCount[index]++;
          }
          privacy?.privatize(index, step, group.summed);
          group.update(step, totalSteps);
          task.setWeights(group.name, group.weights);
          // Under DP the loss is not read: weights that are not finite (post-processing of the released gradient) are the test.
          if (privacy && !group.finite()) trouble = `the ${group.name} weights were not finite`;
        });
        step++;
        if (trouble) {
          restart(epoch, `${trouble} at step ${step}`);
          trouble = null;
        }
        if (shard === 0 && step % job.reportEvery === 0) {
          callbacks.onProgress({ epoch, step, steps: totalSteps, losses: meanLosses(), seconds: elapsed(started) });
        }
      }
      if (step === (epoch + 1) * stepsPerEpoch) {
        const done = epoch + 1;
        // A backstop: a NaN gradient with a finite loss shows in the next step's loss, unless the epoch ended.
        if (!groups.every((g) => g.finite())) restart(done, `weights were not finite at the end of epoch ${done}`);
        for (const [name, mean] of Object.entries(meanLosses())) epochLoss[name].push(mean);
        // Every shard reaches the same checkpoints and gets the same verdict, so early stopping keeps runs repeatable.
        if (!stop && job.checkEvery > 0 && done % job.checkEvery === 0 && done < job.epochs) {
          if (shard === 0) callbacks.onCheckpoint(done, copyWeights(groups));
          const answer = sync.awaitVerdict(++checkpoints);
          earlyStopped = stop = answer.stop;
          // Under DP checkpoints judge public rows only (src/pipeline/attempt.ts): a lower rate is post-processing.
          if (answer.lrFactor !== 1) for (const g of groups) g.lrScale *= answer.lrFactor;
        }
        if (!stop && done % keepEvery === 0) restarts.keep(done, groups);
      }
    }
  } finally {
    task.dispose();
  }
  return {
    // Only shard 0's weights (with the averages) are wanted, copied out of the optimizer's memory; the others send none.
    weights: shard === 0 ? copyWeights(groups) : {},
    epochLoss,
    stepsDone: step,
    epochsDone: Math.floor(step / stepsPerEpoch),
    stopped: stop && !earlyStopped,
    earlyStopped,
    seconds: elapsed(started),
    ...(privacy && shard === 0 ? { privacy: privacy.spent(step) } : {}),
  };
}

/** The group indices each batch steps, in order; every group must step and every name must be a group. */
export function stepOrder(job: Pick<TrainJob<unknown>, 'groups' | 'schedule'>): number[] {
  const names = job.groups.map((g) => g.name);
  if (new Set(names).size !== names.length) throw new Error(`parameter group names repeat: ${names.join(', ')}`);
  const order = (job.schedule ?? names).map((name) => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`the training schedule names an unknown parameter group: ${name}`);
    return index;
  });
  const idle = names.filter((_, i) => !order.includes(i));
  if (idle.length) throw new Error(`the training schedule never steps: ${idle.join(', ')}`);
  return order;
}

/** Where shard k's slice of a batch of `size` rows starts: on a multiple of `multiple`, the last shard taking any remainder. */
export const sliceBound = (size: number, k: number, shards: number, multiple: number): number =>
  k === shards ? size : multiple * Math.floor((Math.floor(size / multiple) * k) / shards);

const copyWeights = (groups: GroupState[]): GroupWeights =>
  Object.fromEntries(groups.map((g) => [g.name, g.modelWeights().slice()]));

const elapsed = (since: number): number => (performance.now() - since) / 1000;
