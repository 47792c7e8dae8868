/**
 * Nearest neighbours both ways, one block of queries at a time, blocks claimed from a shared
 * counter so the main thread and the workers stay busy until none is left (a worker that spends
 * its first half second loading tfjs simply claims fewer). Each block is one matMul on the tfjs
 * backend (the numeric part of the squared distances); the WebAssembly scan kernel then adds each
 * row's categorical mismatches, gives the query its nearest reference per segment (written to
 * shared memory), and lowers each reference's nearest query.
 */
import type * as tfTypes from '@tensorflow/tfjs-core';
import { fillMismatchTable, sameGroupLevels } from './category-groups.js';
import { ScanKernel } from './scan-kernel.js';
import { queryCount, type SearchProblem } from './search-problem.js';
import { float32Values } from './tensor-view.js';

/** The queue of blocks and the per-query results, in memory shared by every thread. */
export interface SharedWork {
  readonly next: Int32Array;
  /** Per reference segment, for each query, the index (within the segment) of its nearest reference. */
  readonly rowNearest: Int32Array[];
}

/** For each reference: the float32 distance to its nearest query among those this thread scanned, and that query. */
export interface ColumnResult {
  readonly colMin: Float32Array;
  readonly colNearest: Int32Array;
}

/** About 1 MB of float32 distances per block: matMul output, copy and scan stay in L2 (measured: 2^17-2^18 beat 2^21-2^22 with two threads). */
const BLOCK_ELEMENTS = 1 << 18;

export function createSharedWork(problem: SearchProblem): SharedWork {
  const nq = queryCount(problem);
  const shared = (length: number) => new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length)));
  return { next: shared(1), rowNearest: problem.segments.slice(1).map(() => shared(nq)) };
}

export function searchShare(tf: typeof tfTypes, problem: SearchProblem, work: SharedWork): ColumnResult {
  const { dim, segments, categories } = problem;
  const nq = queryCount(problem);
  const nr = segments[segments.length - 1];
  const block = Math.max(8, Math.min(1024, Math.floor(BLOCK_ELEMENTS / Math.max(nr, 1))));
  const kernel = new ScanKernel(
    nr,
    categories.groups.map((g) => g.size),
    categories.refSignatures,
    block * nr,
  );
  const refs = tf.tensor2d(problem.refsT, [dim, nr]);
  try {
    for (let start = Atomics.add(work.next, 0, 1) * block; start < nq; start = Atomics.add(work.next, 0, 1) * block) {
      const end = Math.min(nq, start + block);
      const product = tf.tidy(() =>
        tf.matMul(tf.tensor2d(problem.queries.subarray(start * dim, end * dim), [end - start, dim]), refs),
      );
      kernel.load(float32Values(tf, product));
      product.dispose();
      for (let i = start; i < end; i++) {
        kernel.tables.forEach((table, g) => {
          if (i === start || !sameGroupLevels(categories, g, i, i - 1)) fillMismatchTable(categories, g, i, table);
        });
        for (let s = 0; s + 1 < segments.length; s++)
          work.rowNearest[s][i] = kernel.scan(i - start, segments[s], segments[s + 1], i) - segments[s];
      }
    }
  } finally {
    refs.dispose();
  }
  return { colMin: kernel.colMin(), colNearest: kernel.colNearest() };
}
