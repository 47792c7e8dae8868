/**
 * Nearest neighbours both ways between two row sets, split across threads: wasm runs tfjs on
 * one thread per process, so on a multi-core machine worker threads each take a share of the
 * queries. An explicit thread count is obeyed (tests and benchmarks use it).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tf, type BackendName } from '../../backend.js';
import { nearestForRange, type BlockResult } from './nearest-block.js';
import type { WorkerInput } from './nearest-worker.js';
import { queryCount, sliceQueries, type SearchProblem } from './search-problem.js';

export interface NearestBothWays {
  /** Per reference segment, for each query, the index (within the segment) of its nearest reference. */
  readonly rowNearest: Int32Array[];
  /** For each reference, the index of its nearest query. */
  readonly colNearest: Int32Array;
}

export interface NearestOptions {
  readonly backend: BackendName;
  /** Threads to use; default: the machine's available parallelism. */
  readonly threads?: number;
}

/** Below this many query-reference pairs a worker's start-up (about 0.3 s to load tfjs) costs more than it saves. */
const PARALLEL_PAIRS = 2e7;
const workerScript = fileURLToPath(new URL('./nearest-worker.js', import.meta.url));

export async function nearestBothWays(problem: SearchProblem, options: NearestOptions): Promise<NearestBothWays> {
  const nq = queryCount(problem);
  const nr = problem.segments[problem.segments.length - 1];
  const parts = threadCount(nq, nr, options);
  const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.round((p * nq) / parts));
  const part = (p: number) => sliceQueries(problem, bounds[p], bounds[p + 1]);
  const remote = bounds.slice(1, -1).map((start, k) => runWorker({ backend: options.backend, problem: part(k + 1), queryOffset: start }));
  const local = nearestForRange(tf, part(0), 0);
  return merge([local, ...(await Promise.all(remote))], nq, nr);
}

/** Threads pay off on wasm and cpu for large searches, and only from the compiled build (workers run .js). */
function threadCount(nq: number, nr: number, options: NearestOptions): number {
  if (options.threads !== undefined) return existsSync(workerScript) ? Math.max(1, Math.min(options.threads, nq)) : 1;
  const native = options.backend === 'tensorflow' || options.backend === 'tensorflow-gpu';
  if (native || nq * nr < PARALLEL_PAIRS || !existsSync(workerScript)) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(nq / 256)));
}

function runWorker(input: WorkerInput): Promise<BlockResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: input });
    worker.once('message', (result: BlockResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function merge(parts: BlockResult[], nq: number, nr: number): NearestBothWays {
  const rowNearest = parts[0].rowNearest.map(() => new Int32Array(nq));
  let offset = 0;
  for (const part of parts) {
    part.rowNearest.forEach((nearest, s) => rowNearest[s].set(nearest, offset));
    offset += part.rowNearest[0].length;
  }
  const colMin = parts[0].colMin;
  const colNearest = parts[0].colNearest;
  for (const part of parts.slice(1)) {
    for (let j = 0; j < nr; j++) {
      if (part.colMin[j] < colMin[j]) {
        colMin[j] = part.colMin[j];
        colNearest[j] = part.colNearest[j];
      }
    }
  }
  return { rowNearest, colNearest };
}
