/**
 * Nearest neighbours both ways between two row sets, across threads: wasm runs tfjs on one thread
 * per process, so on a multi-core machine worker threads claim blocks of queries alongside the
 * main thread (or, in the background, instead of it). An explicit thread count is obeyed (tests
 * and benchmarks use it).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tf, type BackendName } from '../../core/backend.js';
import { createSharedWork, searchShare, type ColumnResult } from './nearest-block.js';
import type { WorkerInput } from './nearest-worker.js';
import { queryCount, sortQueriesByCategory, type SearchProblem } from './search-problem.js';

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
  /**
   * Run every share in a worker, leaving the calling thread free to compute something else while
   * it waits (only where workers pay off at all: a large search from the compiled build).
   */
  readonly background?: boolean;
}

/** Below this many query-reference pairs a worker's start-up (about 0.3 s to load tfjs) costs more than it saves. */
const PARALLEL_PAIRS = 2e7;
const workerScript = fileURLToPath(new URL('./nearest-worker.js', import.meta.url));

export async function nearestBothWays(unsorted: SearchProblem, options: NearestOptions): Promise<NearestBothWays> {
  const nq = queryCount(unsorted);
  const nr = unsorted.segments[unsorted.segments.length - 1];
  const { order, sorted: problem } = sortQueriesByCategory(unsorted);
  const work = createSharedWork(problem);
  const threads = threadCount(nq, nr, options);
  const inWorkers = options.background && threads > 1;
  const remote = Array.from({ length: inWorkers ? threads : threads - 1 }, () =>
    runWorker({ backend: options.backend, problem, work }),
  );
  const local = inWorkers ? [] : [searchShare(tf, problem, work)];
  const colNearest = mergeColumns([...local, ...(await Promise.all(remote))], nr);
  // Back from sorted positions to the caller's query indices.
  const rowNearest = work.rowNearest.map((sortedNearest) => {
    const nearest = new Int32Array(nq);
    order.forEach((original, position) => (nearest[original] = sortedNearest[position]));
    return nearest;
  });
  return { rowNearest, colNearest: colNearest.map((position) => (position < 0 ? -1 : order[position])) };
}

/** Threads pay off on wasm and cpu for large searches, and only from the compiled build (workers run .js). */
function threadCount(nq: number, nr: number, options: NearestOptions): number {
  if (options.threads !== undefined) return existsSync(workerScript) ? Math.max(1, Math.min(options.threads, nq)) : 1;
  const native = options.backend === 'tensorflow' || options.backend === 'tensorflow-gpu';
  if (native || nq * nr < PARALLEL_PAIRS || !existsSync(workerScript)) return 1;
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(nq / 256)));
}

function runWorker(input: WorkerInput): Promise<ColumnResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: input });
    // It ends by itself once it has answered (src/core/worker-exit.ts).
    worker.once('message', (result: ColumnResult) => resolve(result));
    worker.once('error', reject);
  });
}

/** Each reference's nearest query over all threads; equal distances go to the lower query index, as on one thread. */
function mergeColumns(parts: ColumnResult[], nr: number): Int32Array {
  const { colMin, colNearest } = parts[0];
  for (const part of parts.slice(1)) {
    for (let j = 0; j < nr; j++) {
      const better =
        part.colMin[j] < colMin[j] ||
        (part.colMin[j] === colMin[j] &&
          part.colNearest[j] >= 0 &&
          (colNearest[j] < 0 || part.colNearest[j] < colNearest[j]));
      if (better) {
        colMin[j] = part.colMin[j];
        colNearest[j] = part.colNearest[j];
      }
    }
  }
  return colNearest;
}
