/**
 * CTGAN as a job of the training engine (../nn/train): two parameter groups, each with torch's
 * Adam (lr from the space, betas 0.5/0.9, weight decay 1e-6 added to the gradient), stepped
 * discriminator then generator on every batch (discriminator_steps 1, as the reference). Rows
 * come by training-by-sampling, not from the engine's epoch order: an epoch is the reference's
 * max(rows / batch, 1) steps of `batch_size` draws, and a shard's slice only says how many rows
 * it draws (a multiple of pac, so packs never straddle shards).
 *
 * Under DP-SGD (as DP-CTGAN) only the discriminator reads real rows: its group is clipped and
 * noised, the generator's gradient reaches real data only through it (post-processing). pac is 1,
 * real rows are the engine's Poisson batch with their own conditions, and the critic judges
 * ceil(q n) fake rows (n released), whatever the batch took: every shard generates them all from
 * a stream keyed by the step alone and sums the fake term of its own slots, weighted so that after
 * the engine's division by q n the fake term is their mean, as the real term estimates the mean
 * over the batch. The generator steps on ceil(q n / shards) rows per shard, from a keyed stream of
 * its own. No draw of a private step comes from the seeded stream, whose position would follow
 * how many rows each batch took. The main side (`ctganJob`) and
 * the worker side (`createTask`) share this file, so the payload's shape is checked on both.
 */
import { STREAM } from '../../privacy/dp-sgd/keystream.js';
import type { PrivateSettings } from '../nn/train/private-plan.js';
import { sliceBound } from '../nn/train/shard.js';
import { privateDraws, type TaskFactory, type TrainJob } from '../nn/train/task.js';
import { RowsByCategory } from './rows-by-category.js';
import type { CtganParams } from './space.js';
import { CtganSteps, DISCRIMINATOR, GENERATOR, REAL_ROW_DRAWS, shapeWidths, type CtganShape } from './steps.js';

/** The reference's Adam settings for both networks. */
const ADAM = { lrSchedule: 'constant', weightDecay: 1e-6, decay: 'l2', beta1: 0.5, beta2: 0.9 } as const;

export interface CtganPayload {
  readonly shape: CtganShape;
  /** The encoded training rows, [rows, data width]. */
  readonly data: Float32Array;
  /** Under DP-SGD: the expected batch q n, and the weights fake rows' conditions draw categories from (none read from the rows). */
  readonly private?: { readonly expectedBatch: number; readonly conditionCounts: number[][] };
}

export interface CtganJobOptions {
  readonly params: CtganParams;
  readonly seed: number;
  readonly initial: { readonly generator: Float32Array; readonly discriminator: Float32Array };
  readonly reportEvery: number;
  readonly checkEvery: number;
  /** DP-SGD for the discriminator (the payload's `private` must be set, and pac 1). */
  readonly privacy?: PrivateSettings;
}

/** The reference's steps per epoch: whole batches of the training rows, at least one. */
export const stepsPerEpoch = (rows: number, batchSize: number): number => Math.max(Math.floor(rows / batchSize), 1);

export function ctganJob(payload: CtganPayload, options: CtganJobOptions): TrainJob<CtganPayload> {
  const { params } = options;
  const rows = payload.data.length / shapeWidths(payload.shape).data;
  if (options.privacy && !(payload.private && payload.shape.pac === 1))
    throw new Error('a DP-SGD CTGAN job needs pac 1 and the private payload');
  const privacy = options.privacy ? { ...options.privacy, groups: [DISCRIMINATOR] } : undefined;
  return {
    task: new URL('./train-task.js', import.meta.url).href,
    payload,
    groups: [
      { name: GENERATOR, initial: options.initial.generator, optimizer: { lr: params.lr, ...ADAM } },
      { name: DISCRIMINATOR, initial: options.initial.discriminator, optimizer: { lr: params.lr, ...ADAM } },
    ],
    schedule: [DISCRIMINATOR, GENERATOR],
    // Under DP the engine's Poisson batches sample the real rows; otherwise rows come by training-by-sampling.
    rows: privacy ? rows : stepsPerEpoch(rows, params.batch_size) * params.batch_size,
    batchSize: params.batch_size,
    rowMultiple: payload.shape.pac,
    epochs: params.n_iter,
    seed: options.seed,
    reportEvery: options.reportEvery,
    checkEvery: options.checkEvery,
    ...(privacy ? { privacy, askEmptySlices: true } : {}),
  };
}

export const createTask: TaskFactory<CtganPayload> = (payload, context) => {
  const { shape, data } = payload;
  const width = shapeWidths(shape).data;
  const rows = payload.private
    ? { data, conditionCounts: payload.private.conditionCounts }
    : { data, byCategory: new RowsByCategory(data, data.length / width, width, shapeWidths(shape).discrete) };
  const steps = new CtganSteps(shape, rows, context.nets, {
    generator: context.initial[GENERATOR],
    discriminator: context.initial[DISCRIMINATOR],
  });
  const { rng } = context;
  const expectedBatch = payload.private?.expectedBatch ?? 0;
  // The critic's fake rows: the expected batch's worth, generated whole on every shard, each shard judging its slots.
  const fakeRows = Math.max(1, Math.ceil(expectedBatch));
  const fakeSlots = [0, 1].map((k) => sliceBound(fakeRows, context.shard + k, context.shards, 1)) as [number, number];
  const fakeWeight = expectedBatch / fakeRows;
  // The generator's step: a fixed share per shard.
  const generatorRows = Math.max(1, Math.ceil(expectedBatch / context.shards));
  return {
    gradient(group, slice, out) {
      if (payload.private) {
        // Under DP every draw is keyed (none from the seeded stream, whose position would follow the batch sizes).
        const keyed = privateDraws(context);
        if (group === GENERATOR) {
          const draws = keyed.stream(STREAM.generator, slice.step, context.shard);
          return steps.generatorGradient(generatorRows, generatorRows * context.shards, draws, out);
        }
        if (slice.clipNorm === undefined)
          throw new Error("a DP-SGD CTGAN job's discriminator step came without its clip");
        const step = { fakeRows, fakeSlots, fakeWeight, clipNorm: slice.clipNorm };
        const draws = {
          fake: keyed.stream(STREAM.fake, slice.step, 0),
          real: keyed.perRow(STREAM.example, slice.step, slice.rows, REAL_ROW_DRAWS),
        };
        return steps.privateDiscriminatorGradient(slice.rows, step, expectedBatch, draws, out).loss;
      }
      const rows = slice.rows.length;
      // The reported discriminator loss leaves the penalty out, as the reference's loss_d does.
      if (group === DISCRIMINATOR) return steps.discriminatorGradient(rows, slice.batchSize, rng, out).loss;
      return steps.generatorGradient(rows, slice.batchSize, rng, out);
    },
    setWeights: (group, weights) => steps.setWeights(group, weights),
    dispose: () => steps.dispose(),
  };
};
