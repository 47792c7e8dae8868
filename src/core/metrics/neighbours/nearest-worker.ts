/** Worker entry: computes one query range with the backend the main thread uses. */
import { parentPort, workerData } from 'node:worker_threads';
import { tf, useBackend, type BackendName } from '../../backend.js';
import { nearestForRange } from './nearest-block.js';
import type { SearchProblem } from './search-problem.js';

export interface WorkerInput {
  readonly backend: BackendName;
  readonly problem: SearchProblem;
  readonly queryOffset: number;
}

const input = workerData as WorkerInput;
await useBackend(input.backend);
const result = nearestForRange(tf, input.problem, input.queryOffset);
parentPort!.postMessage(result, [...result.rowNearest, result.colMin, result.colNearest].map((a) => a.buffer as ArrayBuffer));
