import type { ExactRows } from '../../src/metrics/neighbours/distance-space.js';
import { lcg } from './random.js';

/** Rows in the distance space directly: 3 scaled numbers and 2 categorical codes each. */
export function mixedRows(n: number, seed: number): ExactRows {
  const next = lcg(seed);
  const numbers = Float64Array.from({ length: n * 3 }, () => Math.round(next() * 20) / 20);
  const codes = Int32Array.from({ length: n * 2 }, (_, k) => Math.floor(next() * (k % 2 ? 7 : 300)));
  return { n, width: 3, numbers, categories: 2, codes };
}
