/**
 * The transport the engine ships with: one worker thread per shard (wasm runs one thread per
 * backend instance, so this is how training uses more than one core), meeting in shared memory.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Launcher, RunningShards, ShardEvents, ShardSet } from './exchange.js';
import { abortShards, answerCheckpoint, createSharedBuffers, requestStop } from './shared-memory.js';
import type { TrainingRestart } from '../../synthesizer.js';
import type { GroupWeights, TrainProgress, TrainResult } from './task.js';
import type { WorkerJob } from './worker.js';
import { endWorker } from '../../../core/worker-exit.js';

const workerScript = fileURLToPath(new URL('./worker.js', import.meta.url));

type ShardMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'checkpoint'; epoch: number; weights: GroupWeights }
  | { type: 'restart'; restart: TrainingRestart }
  | { type: 'done'; result: TrainResult };

export const workerThreads: Launcher = {
  launch<Payload>({ job, shards, backend }: ShardSet<Payload>, events: ShardEvents): RunningShards {
    const width = Math.max(...job.groups.map((g) => g.initial.length));
    const buffers = createSharedBuffers(shards, width);
    let checkpoints = 0;
    const workers = Array.from({ length: shards }, (_, shard) => {
      const workerJob: WorkerJob = { ...job, shard, shards, buffers, backend };
      return new Worker(workerScript, { workerData: workerJob });
    });
    const answered = workers.map(() => false);
    const results = Promise.all(
      workers.map(
        (worker, shard) =>
          new Promise<TrainResult>((resolve, reject) => {
            let result: TrainResult | undefined;
            worker.on('message', (message: ShardMessage) => {
              if (message.type === 'progress') events.onProgress(message.progress);
              else if (message.type === 'checkpoint')
                events.onCheckpoint(++checkpoints, message.epoch, message.weights);
              else if (message.type === 'restart') events.onRestart?.(message.restart);
              else {
                answered[shard] = true;
                resolve((result = message.result));
              }
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
    return {
      results,
      stop: () => requestStop(buffers),
      answer: (checkpoint, { stop, lrFactor }) => answerCheckpoint(buffers, checkpoint, stop, lrFactor),
      close: async () => {
        // One that answered ends by itself (src/core/worker-exit.ts); the others are terminated.
        await Promise.all(workers.map((w, shard) => endWorker(w, answered[shard])));
      },
    };
  },
};
