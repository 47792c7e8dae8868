/**
 * Nearest neighbours both ways for a range of queries against all references. Each block of
 * queries is one matMul on the tfjs backend (the numeric part of the squared distances); each
 * row then gets its categorical mismatches from per-query tables, gives the query its nearest
 * reference per segment, and updates each reference's nearest query. Shared by the main thread
 * and the workers.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { fillMismatchTable } from './category-groups.js';
import { scanRow } from './row-scan.js';
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
  const colMin = new Float32Array(nr).fill(Infinity);
  const colNearest = new Int32Array(nr).fill(-1);
  const tables = categories.groups.map((g) => new Float32Array(g.size));
  const block = Math.max(8, Math.min(1024, Math.floor(BLOCK_ELEMENTS / Math.max(nr, 1))));
  const refs = tf.tensor2d(problem.refsT, [dim, nr]);
  try {
    for (let start = 0; start < nq; start += block) {
      const end = Math.min(nq, start + block);
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(problem.queries.subarray(start * dim, end * dim), [end - start, dim]), refs));
      const d = product.dataSync() as Float32Array;
      product.dispose();
      for (let i = start; i < end; i++) {
        tables.forEach((table, g) => fillMismatchTable(categories, g, i, table));
        const scan = { d, offset: (i - start) * nr, tables, signatures: categories.refSignatures, colMin, colNearest, query: i + queryOffset };
        for (let s = 0; s + 1 < segments.length; s++) rowNearest[s][i] = scanRow(scan, segments[s], segments[s + 1]) - segments[s];
      }
    }
  } finally {
    refs.dispose();
  }
  return { rowNearest, colMin, colNearest };
}
