/**
 * Runs training as `threads` shards in worker threads (wasm runs one thread per backend
 * instance, so this is how training uses more than one core), and keeps the main thread free
 * for the progress bar and Ctrl-C. Same seed, backend and thread count give the same weights.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../core/backend.js';
import { abortShards, answerCheckpoint, createSharedBuffers, requestStop } from './shard-sync.js';
import type { ShardJob, ShardProgress, ShardResult } from './train-shard.js';
import type { WorkerJob } from './train-worker.js';

const workerScript = fileURLToPath(new URL('./train-worker.js', import.meta.url));

export interface ParallelOptions {
  readonly threads: number;
  readonly backend: BackendName;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: ShardProgress) => void;
  /** Called with the weight average at each checkpoint while the shards wait; resolves to true to stop there. */
  readonly onCheckpoint?: (epoch: number, average: Float32Array) => Promise<boolean>;
}

type ShardMessage =
  | { type: 'progress'; progress: ShardProgress }
  | { type: 'checkpoint'; epoch: number; average: Float32Array }
  | { type: 'done'; result: ShardResult };

export type TrainJob = Omit<ShardJob, 'shard' | 'shards' | 'buffers'>;

export async function trainParallel(job: TrainJob, options: ParallelOptions): Promise<ShardResult> {
  const shards = Math.max(1, Math.min(options.threads, job.data.rows));
  const buffers = createSharedBuffers(shards, job.initialWeights.length);
  const stop = () => requestStop(buffers);
  let checkpoints = 0;
  const checkpoint = (epoch: number, average: Float32Array) => {
    const index = ++checkpoints;
    const decide = options.onCheckpoint ?? (async () => false);
    // A checkpoint that fails to evaluate does not end training.
    decide(epoch, average).then(
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
          new Promise<ShardResult>((resolve, reject) => {
            worker.on('message', (message: ShardMessage) => {
              if (message.type === 'progress') options.onProgress(message.progress);
              else if (message.type === 'checkpoint') checkpoint(message.epoch, message.average);
              else resolve(message.result);
            });
            worker.on('error', (error) => {
              abortShards(buffers);
              reject(error);
            });
            worker.on('exit', (code) => {
              if (code !== 0) {
                abortShards(buffers);
                reject(new Error(`training worker exited with code ${code}`));
              }
            });
          }),
      ),
    );
    return results[0];
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
