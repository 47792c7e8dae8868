/** Worker entry: claims blocks of the shared search with the backend the main thread uses. */
import { parentPort, workerData } from 'node:worker_threads';
import { tf, useBackend, type BackendName } from '../../core/backend.js';
import { idleBeforeExit } from '../../core/worker-exit.js';
import { searchShare, type SharedWork } from './nearest-block.js';
import type { SearchProblem } from './search-problem.js';

export interface WorkerInput {
  readonly backend: BackendName;
  readonly problem: SearchProblem;
  readonly work: SharedWork;
}

const input = workerData as WorkerInput;
await useBackend(input.backend);
const result = searchShare(tf, input.problem, input.work);
parentPort!.postMessage(result, [result.colMin.buffer as ArrayBuffer, result.colNearest.buffer as ArrayBuffer]);
await idleBeforeExit();
