/** Worker entry: one training shard, running the task module the job names on the backend the main thread chose. */
import { parentPort, workerData } from 'node:worker_threads';
import { idleBeforeExit } from '../../../core/worker-exit.js';
import { netMaker } from '../create-net.js';
import { runShard, type ShardJob } from './shard.js';
import { ShardSync, type SharedBuffers } from './shared-memory.js';
import type { TaskFactory } from './task.js';

export interface WorkerJob extends ShardJob<unknown> {
  readonly buffers: SharedBuffers;
}

const job = workerData as WorkerJob;
// The task module first: it may register what the backend needs (gradients) before the backend starts.
const { createTask } = (await import(job.task)) as { createTask?: TaskFactory<unknown> };
if (typeof createTask !== 'function') throw new Error(`the training task ${job.task} exports no createTask`);
const nets = await netMaker(job.backend);
const result = runShard(job, createTask, nets, new ShardSync(job.buffers, job.shard, job.shards), {
  onProgress: (progress) => parentPort!.postMessage({ type: 'progress', progress }),
  onCheckpoint: (epoch, weights) =>
    parentPort!.postMessage(
      { type: 'checkpoint', epoch, weights },
      Object.values(weights).map((w) => w.buffer as ArrayBuffer),
    ),
  onRestart: (restart) => parentPort!.postMessage({ type: 'restart', restart }),
});
parentPort!.postMessage(
  { type: 'done', result },
  Object.values(result.weights).map((w) => w.buffer as ArrayBuffer),
);
await idleBeforeExit();
