/**
 * Nearest neighbours both ways for a range of queries against all references. Each block of
 * queries is one matMul on the tfjs backend (the numeric part of the squared distances); the
 * WebAssembly scan kernel then adds each row's categorical mismatches from per-query tables,
 * gives the query its nearest reference per segment, and updates each reference's nearest query.
 * Shared by the main thread and the workers.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { fillMismatchTable } from './category-groups.js';
import { ScanKernel } from './scan-kernel.js';
import { float32Values } from './tensor-view.js';
import { queryCount, type SearchProblem } from './search-problem.js';

export interface BlockResult {
  /** Per segment of the references, for each query of the range, its nearest reference in that segment. */
  readonly rowNearest: Int32Array[];
  /** For each reference, the float32 distance to its nearest query in the range, and that query's global index. */
  readonly colMin: Float32Array;
  readonly colNearest: Int32Array;
}

/** About 1 MB of float32 distances per block: matMul output, copy and scan stay in L2 (measured: 2^17-2^18 beat 2^21-2^22 with two threads). */
const BLOCK_ELEMENTS = 1 << 18;

export function nearestForRange(tf: typeof tfTypes, problem: SearchProblem, queryOffset: number): BlockResult {
  const { dim, segments, categories } = problem;
  const nq = queryCount(problem);
  const nr = segments[segments.length - 1];
  const rowNearest = segments.slice(1).map(() => new Int32Array(nq));
  const block = Math.max(8, Math.min(1024, Math.floor(BLOCK_ELEMENTS / Math.max(nr, 1))));
  const kernel = new ScanKernel(nr, categories.groups.map((g) => g.size), categories.refSignatures, block * nr);
  const refs = tf.tensor2d(problem.refsT, [dim, nr]);
  try {
    for (let start = 0; start < nq; start += block) {
      const end = Math.min(nq, start + block);
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(problem.queries.subarray(start * dim, end * dim), [end - start, dim]), refs));
      kernel.load(float32Values(tf, product));
      product.dispose();
      for (let i = start; i < end; i++) {
        kernel.tables.forEach((table, g) => fillMismatchTable(categories, g, i, table));
        for (let s = 0; s + 1 < segments.length; s++) rowNearest[s][i] = kernel.scan(i - start, segments[s], segments[s + 1], i + queryOffset) - segments[s];
      }
    }
  } finally {
    refs.dispose();
  }
  return { rowNearest, colMin: kernel.colMin(), colNearest: kernel.colNearest() };
}
