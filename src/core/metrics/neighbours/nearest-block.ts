/**
 * Nearest neighbours both ways for a range of queries against all references: each block of
 * queries is one matMul on the tfjs backend; its rows give each query's nearest reference and
 * its columns update each reference's nearest query. The references may be several sets one after
 * the other (segments: their boundaries), each getting its own nearest per query.
 * Shared by the main thread and the workers.
 */
import type * as tfTypes from '@tensorflow/tfjs';

export interface BlockResult {
  /** Per segment of the references, for each query of the range, its nearest reference in that segment. */
  readonly rowNearest: Int32Array[];
  /** For each reference, the float32 distance to its nearest query in the range, and that query's global index. */
  readonly colMin: Float32Array;
  readonly colNearest: Int32Array;
}

/** About 16 MB of float32 distances per block. */
const BLOCK_ELEMENTS = 1 << 22;

export function nearestForRange(
  tf: typeof tfTypes,
  queries: Float32Array,
  queryOffset: number,
  refsT: Float32Array,
  dim: number,
  segments: readonly number[],
): BlockResult {
  const nq = queries.length / dim;
  const nr = segments[segments.length - 1];
  const rowNearest = segments.slice(1).map(() => new Int32Array(nq));
  const colMin = new Float32Array(nr).fill(Infinity);
  const colNearest = new Int32Array(nr).fill(-1);
  const block = Math.max(8, Math.min(1024, Math.floor(BLOCK_ELEMENTS / Math.max(nr, 1))));
  const refs = tf.tensor2d(refsT, [dim, nr]);
  try {
    for (let start = 0; start < nq; start += block) {
      const end = Math.min(nq, start + block);
      const distances = tf.tidy(() => tf.matMul(tf.tensor2d(queries.subarray(start * dim, end * dim), [end - start, dim]), refs));
      const d = distances.dataSync() as Float32Array;
      distances.dispose();
      for (let i = start; i < end; i++) {
        const offset = (i - start) * nr;
        for (let s = 0; s + 1 < segments.length; s++) {
          let best = Infinity;
          let arg = segments[s];
          for (let j = segments[s]; j < segments[s + 1]; j++) {
            const v = d[offset + j];
            if (v < best) {
              best = v;
              arg = j;
            }
            if (v < colMin[j]) {
              colMin[j] = v;
              colNearest[j] = i + queryOffset;
            }
          }
          rowNearest[s][i] = arg - segments[s];
        }
      }
    }
  } finally {
    refs.dispose();
  }
  return { rowNearest, colMin, colNearest };
}
