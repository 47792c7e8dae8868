/**
 * The two sides of the training engine's transport. A shard sees an `Exchange`: where it writes its
 * gradients, the sum of every shard's, and the main thread's verdicts. The main thread sees a
 * `Launcher`: it starts the shards somewhere and carries its controls to them. Worker threads over
 * shared memory are today's transport (worker-launcher.ts, shared-memory.ts); processes or
 * machines would be another pair of these, with no change to a model or a task.
 */
import type { BackendName } from '../../../core/backend-names.js';
import type { TrainingRestart } from '../../synthesizer.js';
import type { GroupWeights, TrainJob, TrainProgress, TrainResult } from './task.js';

/**
 * The main thread's answer at a checkpoint: stop there, or go on with every group's learning rate
 * multiplied by `lrFactor` from the next step on (1: unchanged). Every shard gets the same answer.
 */
export interface CheckpointAnswer {
  readonly stop: boolean;
  readonly lrFactor: number;
}

/** Go on as before. */
export const GO_ON: CheckpointAnswer = { stop: false, lrFactor: 1 };

export interface Exchange {
  /** Where this shard writes its `size` gradients for exchange `index`. */
  gradSlot(index: number, size: number): Float32Array;
  setLoss(index: number, loss: number): void;
  /**
   * Waits until every shard has written exchange `index`, then sums their gradients into `out` in
   * shard order (so the result does not depend on timing); the summed loss, and whether to stop.
   */
  exchange(index: number, out: Float32Array): { loss: number; stop: boolean };
  /** Blocks until the main thread answers checkpoint `index` (1, 2, ...). */
  awaitVerdict(index: number): CheckpointAnswer;
}

/** One training job cut into `shards` shards on `backend`. */
export interface ShardSet<Payload> {
  readonly job: TrainJob<Payload>;
  readonly shards: number;
  readonly backend: BackendName;
}

/** What the shards tell the main thread: shard 0's progress, checkpoints and restarts. */
export interface ShardEvents {
  readonly onProgress: (progress: TrainProgress) => void;
  readonly onCheckpoint: (checkpoint: number, epoch: number, weights: GroupWeights) => void;
  readonly onRestart?: (restart: TrainingRestart) => void;
}

/** Shards that are running: their results, and the main thread's controls. */
export interface RunningShards {
  /** Every shard's result in shard order; rejects when one fails (the others are let go). */
  readonly results: Promise<TrainResult[]>;
  /** Every shard stops after the same step. */
  stop(): void;
  /** The answer to checkpoint `checkpoint`: stop there, or go on (at a lower learning rate). */
  answer(checkpoint: number, answer: CheckpointAnswer): void;
  /** Frees what the shards hold; called once, after `results` settled. */
  close(): Promise<void>;
}

export interface Launcher {
  launch<Payload>(set: ShardSet<Payload>, events: ShardEvents): RunningShards;
}
