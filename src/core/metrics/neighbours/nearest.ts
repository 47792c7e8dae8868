/**
 * Nearest neighbours both ways between two row sets, split across threads: wasm runs tfjs on
 * one thread per process, so on a multi-core machine worker threads each take a share of the
 * queries (measured: the matMul is about 10 GFLOP/s per thread here, and the work is nq*nr*dim).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tf, type BackendName } from '../../backend.js';
import type { EncodedPair } from './float-encoding.js';
import { nearestForRange, type BlockResult } from './nearest-block.js';
import type { WorkerInput } from './nearest-worker.js';

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

/** Below this many multiply-adds a worker's start-up (about 0.3 s to load tfjs) costs more than it saves. */
const PARALLEL_WORK = 4e8;
const workerScript = fileURLToPath(new URL('./nearest-worker.js', import.meta.url));

/** `segments`: boundaries of the reference sets stacked in the pair, e.g. [0, nR, nR + nH]. */
export async function nearestBothWays(pair: EncodedPair, segments: number[], options: NearestOptions): Promise<NearestBothWays> {
  const { dim, queries, refsT } = pair;
  const nq = queries.length / dim;
  const nr = segments[segments.length - 1];
  const parts = threadCount(nq, nr, dim, options);
  const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.round((p * nq) / parts));
  const slice = (p: number) => queries.subarray(bounds[p] * dim, bounds[p + 1] * dim);
  const remote = bounds.slice(1, -1).map((start, k) => runWorker({ backend: options.backend, queries: slice(k + 1), queryOffset: start, refsT, dim, segments }));
  const local = nearestForRange(tf, slice(0), 0, refsT, dim, segments);
  return merge([local, ...(await Promise.all(remote))], nq, nr);
}

function threadCount(nq: number, nr: number, dim: number, options: NearestOptions): number {
  const native = options.backend === 'tensorflow' || options.backend === 'tensorflow-gpu';
  if (native || nq * nr * dim < PARALLEL_WORK || !existsSync(workerScript)) return 1;
  return Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(nq / 256)));
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
