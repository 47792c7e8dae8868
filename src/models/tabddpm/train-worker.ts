/** Worker entry: one training shard on the backend the main thread chose. */
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend, type BackendName } from '../../core/backend.js';
import '../nn/gradients.js';
import { trainShard, type ShardJob } from './train-shard.js';

export type WorkerJob = ShardJob & { readonly backend: BackendName };

const job = workerData as WorkerJob;
await useBackend(job.backend);
const result = trainShard(
  job,
  (progress) => parentPort!.postMessage({ type: 'progress', progress }),
  (epoch, average) => parentPort!.postMessage({ type: 'checkpoint', epoch, average }, [average.buffer as ArrayBuffer]),
);
parentPort!.postMessage({ type: 'done', result });
