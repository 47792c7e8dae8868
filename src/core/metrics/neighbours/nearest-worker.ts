/** Worker entry: computes one query range with the backend the main thread uses. */
import { parentPort, workerData } from 'node:worker_threads';
import { tf, useBackend, type BackendName } from '../../backend.js';
import { nearestForRange } from './nearest-block.js';

export interface WorkerInput {
  readonly backend: BackendName;
  readonly queries: Float32Array;
  readonly queryOffset: number;
  readonly refsT: Float32Array;
  readonly segments: number[];
  readonly dim: number;
}

const input = workerData as WorkerInput;
await useBackend(input.backend);
const result = nearestForRange(tf, input.queries, input.queryOffset, input.refsT, input.dim, input.segments);
parentPort!.postMessage(result, [...result.rowNearest, result.colMin, result.colNearest].map((a) => a.buffer as ArrayBuffer));
