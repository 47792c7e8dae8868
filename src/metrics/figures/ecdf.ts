/**
 * The two empirical CDFs of a numeric or date column, as KS reads them (present values only), at a
 * few dozen points, and where they are furthest apart: that gap is the column's KS statistic, so the
 * page can mark what the number measures.
 */
import { sortedPresent } from '../sorted-present.js';

/** Points kept per curve: the curves' shape without the rows. */
export const ECDF_POINTS = 60;

export interface EcdfFigure {
  /** Values, increasing (dates in seconds since the epoch). */
  readonly x: number[];
  /** Share of each table's present values at or below each x. */
  readonly real: number[];
  readonly synthetic: number[];
  /** Where the curves are furthest apart; |real - synthetic| there is the KS statistic. */
  readonly ks: { readonly at: number; readonly real: number; readonly synthetic: number };
}

/** Null when either table has no value (KS is then 1 or not computed: there is no curve to compare). */
export function ecdfFigure(real: Float64Array, synthetic: Float64Array): EcdfFigure | null {
  const a = sortedPresent(real);
  const b = sortedPresent(synthetic);
  if (a.length === 0 || b.length === 0) return null;
  const merged = merge(a, b);
  const at = widestGap(merged, a, b);
  const step = (merged.length - 1) / (ECDF_POINTS - 1);
  const picked = Array.from({ length: Math.min(ECDF_POINTS, merged.length) }, (_, k) => merged[Math.round(k * step)]);
  const x = [...new Set([...picked, at])].sort((p, q) => p - q);
  const cdf = (sorted: Float64Array, v: number) => round(upperBound(sorted, v) / sorted.length);
  return {
    x: x.map(round),
    real: x.map((v) => cdf(a, v)),
    synthetic: x.map((v) => cdf(b, v)),
    ks: { at: round(at), real: cdf(a, at), synthetic: cdf(b, at) },
  };
}

/** The value where |F_a - F_b| is largest (the first such value), over every value of either table. */
function widestGap(merged: Float64Array, a: Float64Array, b: Float64Array): number {
  let [i, j, widest, at] = [0, 0, -1, merged[0]];
  for (let k = 0; k < merged.length; k++) {
    const v = merged[k];
    if (k + 1 < merged.length && merged[k + 1] === v) continue;
    while (i < a.length && a[i] <= v) i++;
    while (j < b.length && b[j] <= v) j++;
    const gap = Math.abs(i / a.length - j / b.length);
    if (gap > widest) [widest, at] = [gap, v];
  }
  return at;
}

function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let [i, j] = [0, 0];
  for (let k = 0; k < out.length; k++) out[k] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
  return out;
}

/** How many sorted values are at or below v. */
function upperBound(sorted: Float64Array, v: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const round = (x: number): number => Number(x.toPrecision(6));
