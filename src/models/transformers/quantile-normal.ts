/**
 * Maps a numeric column onto N(0, 1) through its empirical quantiles, and back (the
 * preprocessing TabDDPM uses: sklearn's QuantileTransformer with a normal output).
 * Ties map to the middle of their quantile run, so a point mass (e.g. 90 % zeros) sits at one
 * normal value and every sample that lands in that run inverts to exactly the tied value.
 */
import { normalCdf, normalPpf } from '../../core/stats/normal.js';

/** Normal values are clipped to the quantiles of 1e-7 and 1 - 1e-7 (about +-5.2), as sklearn does. */
const BOUND = 1e-7;
export const NORMAL_LIMIT = -normalPpf(BOUND);

export interface QuantileMap {
  /** Column values at evenly spaced probabilities 0, 1/(m-1), ..., 1; non-decreasing. */
  readonly quantiles: number[];
}

/** n_quantiles = max(min(n / 30, 1000), 10), capped by the number of values. */
export function quantileCount(n: number): number {
  return Math.max(1, Math.min(Math.max(Math.min(Math.floor(n / 30), 1000), 10), n));
}

/** The values that are not NaN, counted first and then copied: no JS list of a million numbers on the way. */
function presentValues(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  const present = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present[k++] = values[i];
  return present;
}

/** Fits on the non-missing values (NaN is skipped). */
export function fitQuantiles(values: ArrayLike<number>): QuantileMap {
  const sorted = presentValues(values).sort();
  const n = sorted.length;
  if (n === 0) return { quantiles: [0] };
  const m = quantileCount(n);
  const quantiles: number[] = [];
  for (let i = 0; i < m; i++) {
    const position = m === 1 ? 0 : (i * (n - 1)) / (m - 1);
    const lo = Math.floor(position);
    const hi = Math.min(lo + 1, n - 1);
    const q = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    quantiles.push(i > 0 ? Math.max(q, quantiles[i - 1]) : q);
  }
  return { quantiles };
}

/** The probability of `value` under the quantile map: interpolated, ties at the middle of their run. */
function toProbability(map: QuantileMap, value: number): number {
  const q = map.quantiles;
  const m = q.length;
  if (m === 1) return 0.5;
  if (value < q[0]) return 0;
  if (value > q[m - 1]) return 1;
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (q[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  // lo: first quantile >= value.
  if (q[lo] === value) {
    let last = lo;
    while (last + 1 < m && q[last + 1] === value) last++;
    return (lo + last) / 2 / (m - 1);
  }
  const below = lo - 1;
  return (below + (value - q[below]) / (q[lo] - q[below])) / (m - 1);
}

export function toNormal(map: QuantileMap, value: number): number {
  const p = Math.min(Math.max(toProbability(map, value), BOUND), 1 - BOUND);
  return normalPpf(p);
}

export function fromNormal(map: QuantileMap, z: number): number {
  const q = map.quantiles;
  const m = q.length;
  if (m === 1) return q[0];
  const position = normalCdf(z) * (m - 1);
  const lo = Math.min(Math.max(Math.floor(position), 0), m - 2);
  const frac = Math.min(Math.max(position - lo, 0), 1);
  return q[lo] + (q[lo + 1] - q[lo]) * frac;
}
