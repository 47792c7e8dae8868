/**
 * Runs a training job as `threads` shards through a launcher (worker threads unless told
 * otherwise), and keeps the main thread free for the progress bar and Ctrl-C. Same seed, backend
 * and thread count give the same weights, except under DP-SGD, whose batches and noise come from
 * the fresh secret key of each fit's plan.
 */
import type { BackendName } from '../../../core/backend-names.js';
import { GO_ON, type CheckpointAnswer, type Launcher } from './exchange.js';
import type { TrainingRestart } from '../../synthesizer.js';
import { stepOrder } from './shard.js';
import type { GroupWeights, TrainJob, TrainProgress, TrainResult } from './task.js';
import { workerThreads } from './worker-launcher.js';

export interface ParallelOptions {
  readonly threads: number;
  readonly backend: BackendName;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Called with each group's model weights at each checkpoint while the shards wait; resolves to stop there, or go on (at a lower learning rate). */
  readonly onCheckpoint?: (epoch: number, weights: GroupWeights) => Promise<CheckpointAnswer>;
  /** Called when the shards went back to the last good checkpoint after a NaN or exploding loss (restart.ts). */
  readonly onRestart?: (restart: TrainingRestart) => void;
  /** Where the shards run; worker threads by default. */
  readonly launcher?: Launcher;
}

export async function trainParallel<Payload>(job: TrainJob<Payload>, options: ParallelOptions): Promise<TrainResult> {
  stepOrder(job);
  // Under DP-SGD the released count, not the table's, caps the shards (CTGAN's fake rows per shard follow them).
  const shards = Math.max(1, Math.min(options.threads, job.privacy ? job.privacy.rows : job.rows));
  const decide = options.onCheckpoint ?? (async () => GO_ON);
  const running = (options.launcher ?? workerThreads).launch(
    { job, shards, backend: options.backend },
    {
      onProgress: (progress) => options.onProgress?.(progress),
      // A checkpoint that fails to evaluate does not end training.
      onCheckpoint: (checkpoint, epoch, weights) =>
        decide(epoch, weights).then(
          (answer) => running.answer(checkpoint, answer),
          () => running.answer(checkpoint, GO_ON),
        ),
      onRestart: (restart) => options.onRestart?.(restart),
    },
  );
  const stop = () => running.stop();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop);
  try {
    const results = await running.results;
    // Shards that took different numbers of steps would have had different weights: a bug, never a result.
    if (results.some((r) => r.stepsDone !== results[0].stepsDone))
      throw new Error(`training shards disagree on the steps done: ${results.map((r) => r.stepsDone).join(', ')}`);
    return results[0];
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await running.close();
  }
}
