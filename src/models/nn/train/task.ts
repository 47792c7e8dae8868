/**
 * The contract between the training engine and a model. The model describes its parameter
 * groups (flat weights, each with its own optimizer and optional weight average) and names a
 * worker-side module whose `createTask` builds the networks in each shard and returns, per group
 * step, the gradient of the shard's rows' share of the batch loss. The engine does the rest:
 * epoch order, slicing batches across shards, the gradient sum, optimizer updates, averages,
 * progress, stopping, checkpoints and errors.
 */
import type { NetMaker } from '../create-net.js';
import type { Rng } from '../../../core/rng.js';

export interface OptimizerSettings {
  readonly lr: number;
  /** 'constant', or 'linear': lr decays linearly to 0 over the run's steps. */
  readonly lrSchedule: 'constant' | 'linear';
  readonly weightDecay: number;
  /** 'decoupled' (AdamW) or 'l2' (torch Adam's weight_decay, added to the gradient). */
  readonly decay: 'decoupled' | 'l2';
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export interface ParamGroup {
  readonly name: string;
  /** The starting weights, identical on every shard. */
  readonly initial: Float32Array;
  readonly optimizer: OptimizerSettings;
  /** Keep an exponential moving average of the weights with this decay (shard 0 keeps it); it is what the model samples with. */
  readonly averageRate?: number;
  /** After each optimizer step, weights [start, end) are clamped to [min, max] (TVAE's learned sigmas). */
  readonly clamp?: WeightClamp;
}

export interface WeightClamp {
  readonly start: number;
  readonly end: number;
  readonly min: number;
  readonly max: number;
}

export interface TrainJob<Payload> {
  /** URL (import.meta-relative href) of the compiled worker-side module that exports `createTask: TaskFactory<Payload>`. */
  readonly task: string;
  /** What `createTask` builds the networks from; structured-cloned to each worker. */
  readonly payload: Payload;
  readonly groups: readonly ParamGroup[];
  /** The group steps each batch takes, in order, by name (e.g. ['discriminator', 'generator']); each is one exchange. Default: every group once, in order. */
  readonly schedule?: readonly string[];
  /** Rows an epoch goes through in a seeded order; each batch is sliced across the shards. */
  readonly rows: number;
  readonly batchSize: number;
  /** Shards split each batch on multiples of this many rows (CTGAN's pac packs rows together); default 1. */
  readonly rowMultiple?: number;
  readonly epochs: number;
  readonly seed: number;
  /** Shard 0 reports progress every this many steps (batches). */
  readonly reportEvery: number;
  /** Pause for a checkpoint every this many epochs (0: never); the main thread's verdict may stop training there. */
  readonly checkEvery: number;
  /**
   * Ask every shard for its gradient even when its slice of the batch is empty: the task's loss has
   * a part that reads no training rows (under DP-SGD, a GAN critic's fake rows), whose size must not
   * depend on how many rows the batch took. Default false: a shard without rows is not asked.
   */
  readonly askEmptySlices?: boolean;
  /** Train with DP-SGD (./private-training.ts); absent: ordinary minibatches in a seeded order. */
  readonly privacy?: DpSgdSettings;
}

/**
 * DP-SGD's settings (SPEC section 6; private-plan.ts plans them). Each batch is a Poisson sample
 * of rate `sampleRate` drawn from the secret `key`, the `groups` named here get per-example
 * gradients clipped to `maxGradNorm`, Gaussian noise of standard deviation noiseMultiplier *
 * maxGradNorm on their sum, and the sum divided by the expected batch (sampleRate * rows).
 * Other groups must not read the training rows (a GAN's generator).
 */
export interface DpSgdSettings {
  readonly noiseMultiplier: number;
  readonly maxGradNorm: number;
  readonly sampleRate: number;
  /**
   * The released count of training rows (TrainingPrivacy.rows), never the table's: the expected
   * batch, the steps per epoch and the number of shards come from it. Coins are still one per row.
   */
  readonly rows: number;
  /** The planned steps: epochs * ceil(rows / batchSize) of the released rows, the batches the engine takes. */
  readonly steps: number;
  /** For the spent epsilon in the result. */
  readonly delta: number;
  /** The parameter groups whose gradients touch training rows; each steps at most once per batch. */
  readonly groups: readonly string[];
  /** The run's secret key (src/privacy/dp-sgd/keystream.ts), fresh per fit; shared by every shard. */
  readonly key: Uint8Array;
  /** Each training row's identity (src/privacy/dp-sgd/row-identity.ts), which its coins and draws are keyed by. */
  readonly rowIds: Uint32Array;
}

/**
 * A task's randomness under DP-SGD, from the run's secret key (src/privacy/dp-sgd/). A private
 * group's task takes every draw from here, none from the seeded stream: a row's own draws keyed
 * by its identity, the rest from streams that read no training row, so no row's presence moves
 * another's randomness.
 */
export interface PrivateDraws {
  /** Row i of `rows` (training-row indices) gets its own Rng of `perRow` uniforms for (purpose, step). */
  perRow(purpose: number, step: number, rows: ArrayLike<number>, perRow: number): (i: number) => Rng;
  /** The stream (purpose, step, part), which depends on no training row. */
  stream(purpose: number, step: number, part: number): Rng;
}

/** The context's keyed draws, which a task asked for a clipped (private) gradient must have. */
export function privateDraws(context: TaskContext): PrivateDraws {
  if (!context.privateDraws) throw new Error('a private group was asked for a clipped gradient without keyed draws');
  return context.privateDraws;
}

/** One shard's part of one batch, as a task sees it. */
export interface BatchSlice {
  /** This shard's rows of the batch (indices into the training rows); empty only where the job sets askEmptySlices. */
  readonly rows: Int32Array;
  /** Rows in the whole batch (under DP-SGD, this Poisson batch's): a loss averaged over the batch divides by this, so the shards' shares sum to it. */
  readonly batchSize: number;
  readonly epoch: number;
  /** Batches done before this one. */
  readonly step: number;
  /**
   * Set under DP-SGD for a private group: `out` gets the SUM over the slice's rows of each row's
   * own loss gradient (its loss not divided by batchSize) clipped to this norm; the returned loss
   * stays the slice's share of the batch mean.
   */
  readonly clipNorm?: number;
}

export interface TaskContext {
  readonly shard: number;
  readonly shards: number;
  /** This shard's own seeded stream (noise, dropout); the epoch order is the engine's. */
  readonly rng: Rng;
  /** Each group's starting weights, by name. */
  readonly initial: Readonly<Record<string, Float32Array>>;
  /** What runs the networks: the fused engine, or a TensorFlow.js backend (nn/create-net.ts). */
  readonly nets: NetMaker;
  /** Under DP-SGD: the keyed draws a private group's task must take instead of `rng`. */
  readonly privateDraws?: PrivateDraws;
}

/** The networks of one shard. */
export interface ShardTask {
  /** Writes d(this slice's share of the batch loss)/d(group's weights) into `out` and returns that share. */
  gradient(group: string, slice: BatchSlice, out: Float32Array): number;
  /** The group's weights after an optimizer step (the same on every shard): copy them into the network. */
  setWeights(group: string, weights: Float32Array): void;
  /** Frees the networks' tensors. */
  dispose(): void;
}

export type TaskFactory<Payload> = (payload: Payload, context: TaskContext) => ShardTask;

export interface TrainProgress {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  /** Each group's mean loss over the epoch's batches so far. */
  readonly losses: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Each group's weights to sample with: its average where it keeps one, else its weights. */
export type GroupWeights = Record<string, Float32Array>;

export interface TrainResult {
  readonly weights: GroupWeights;
  /** Each group's mean loss per finished epoch. */
  readonly epochLoss: Record<string, number[]>;
  readonly stepsDone: number;
  readonly epochsDone: number;
  /** True when the signal stopped training. */
  readonly stopped: boolean;
  /** True when a checkpoint's verdict ended training, or a bad loss after the last restart allowed (restart.ts). */
  readonly earlyStopped: boolean;
  readonly seconds: number;
  /** Under DP-SGD: the accountant's epsilon for the steps taken (at the job's delta). */
  readonly privacy?: { readonly spentEpsilon: number; readonly steps: number };
}
