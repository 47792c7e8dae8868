/**
 * Float32 rows for the matrix product over the numeric part. With q' = [x, |q|^2, 1] and
 * r' = [-2x, 1, |r|^2], q'.r' = |q|^2 + |r|^2 - 2 q.r, the squared distance, so one plain
 * matMul (wasm's fast path) yields a block of distances.
 */
import type { ExactRows } from './distance-space.js';

export interface NumericPair {
  readonly dim: number;
  /** Queries, row-major [nq, dim]. */
  readonly queries: Float32Array;
  /** References, transposed: [dim, nr]. */
  readonly refsT: Float32Array;
}

export function encodeNumeric(q: ExactRows, r: ExactRows): NumericPair {
  const w = q.width;
  const dim = w + 2;
  const queries = new Float32Array(q.n * dim);
  for (let i = 0; i < q.n; i++) {
    let norm = 0;
    for (let k = 0; k < w; k++) {
      const v = q.numbers[i * w + k];
      queries[i * dim + k] = v;
      norm += v * v;
    }
    queries[i * dim + w] = norm;
    queries[i * dim + w + 1] = 1;
  }
  const nr = r.n;
  const refsT = new Float32Array(dim * nr);
  for (let j = 0; j < nr; j++) {
    let norm = 0;
    for (let k = 0; k < w; k++) {
      const v = r.numbers[j * w + k];
      refsT[k * nr + j] = -2 * v;
      norm += v * v;
    }
    refsT[w * nr + j] = 1;
    refsT[(w + 1) * nr + j] = norm;
  }
  return { dim, queries, refsT };
}
