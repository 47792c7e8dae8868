/**
 * Runs a training job as `threads` shards in worker threads (wasm runs one thread per backend
 * instance, so this is how training uses more than one core), and keeps the main thread free
 * for the progress bar and Ctrl-C. Same seed, backend and thread count give the same weights,
 * except under DP-SGD, whose batches and noise come from the fresh secret key of each fit's plan.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../../core/backend-names.js';
import { stepOrder } from './shard.js';
import { abortShards, answerCheckpoint, createSharedBuffers, requestStop } from './shared-memory.js';
import type { GroupWeights, TrainJob, TrainProgress, TrainResult } from './task.js';
import type { WorkerJob } from './worker.js';

const workerScript = fileURLToPath(new URL('./worker.js', import.meta.url));

export interface ParallelOptions {
  readonly threads: number;
  readonly backend: BackendName;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Called with each group's model weights at each checkpoint while the shards wait; resolves to true to stop there. */
  readonly onCheckpoint?: (epoch: number, weights: GroupWeights) => Promise<boolean>;
}

type ShardMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'checkpoint'; epoch: number; weights: GroupWeights }
  | { type: 'done'; result: TrainResult };

export async function trainParallel<Payload>(job: TrainJob<Payload>, options: ParallelOptions): Promise<TrainResult> {
  stepOrder(job);
  // Under DP-SGD the released count, not the table's, caps the shards (CTGAN's fake rows per shard follow them).
  const shards = Math.max(1, Math.min(options.threads, job.privacy ? job.privacy.rows : job.rows));
  const width = Math.max(...job.groups.map((g) => g.initial.length));
  const buffers = createSharedBuffers(shards, width);
  const stop = () => requestStop(buffers);
  let checkpoints = 0;
  const checkpoint = (epoch: number, weights: GroupWeights) => {
    const index = ++checkpoints;
    const decide = options.onCheckpoint ?? (async () => false);
    // A checkpoint that fails to evaluate does not end training.
    decide(epoch, weights).then(
      (verdict) => answerCheckpoint(buffers, index, verdict),
      () => answerCheckpoint(buffers, index, false),
    );
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop);
  const workers = Array.from({ length: shards }, (_, shard) => {
    const workerJob: WorkerJob = { ...job, shard, shards, buffers, backend: options.backend };
    return new Worker(workerScript, { workerData: workerJob });
  });
  try {
    const results = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<TrainResult>((resolve, reject) => {
            let result: TrainResult | undefined;
            worker.on('message', (message: ShardMessage) => {
              if (message.type === 'progress') options.onProgress?.(message.progress);
              else if (message.type === 'checkpoint') checkpoint(message.epoch, message.weights);
              else resolve((result = message.result));
            });
            worker.on('error', (error) => {
              abortShards(buffers);
              reject(error);
            });
            worker.on('exit', (code) => {
              if (result) return;
              // A failing shard lets the others leave their waits, so the run rejects instead of hanging.
              abortShards(buffers);
              reject(new Error(`training worker exited with code ${code} before it finished`));
            });
          }),
      ),
    );
    // Shards that took different numbers of steps would have had different weights: a bug, never a result.
    if (results.some((r) => r.stepsDone !== results[0].stepsDone))
      throw new Error(`training shards disagree on the steps done: ${results.map((r) => r.stepsDone).join(', ')}`);
    return results[0];
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
