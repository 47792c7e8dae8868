/**
 * Quantiles from histograms, so that every engine answers them with the same plain SQL (MySQL and
 * SQLite have no percentile function): a histogram of 1024 buckets between the bounds finds the
 * bucket that holds each rank, a second one of 1024 inside that bucket narrows it, and the value
 * is interpolated within the last bucket. Linear interpolation between order statistics (numpy's
 * default), to (max - min) / 2^20.
 */
import type { ColumnBounds } from './source.js';

export const QUANTILE_BUCKETS = 1024;

/** Rows in each of `count` equal cells of width `width` from `start`. */
type Histogram = (start: number, width: number, count: number) => Promise<number[]>;

/** The bucket holding rank `r` (0-based) and the rank within it, from the counts below. */
function locate(counts: readonly number[], rank: number): { bucket: number; within: number } {
  let below = 0;
  for (let b = 0; b < counts.length; b++) {
    if (rank < below + counts[b]) return { bucket: b, within: rank - below };
    below += counts[b];
  }
  return { bucket: counts.length - 1, within: Math.max(0, counts[counts.length - 1] - 1) };
}

export async function histogramQuantiles(
  bounds: ColumnBounds,
  probabilities: readonly number[],
  histogram: Histogram,
): Promise<number[]> {
  const { min, max, present } = bounds;
  if (!(present > 0)) return probabilities.map(() => NaN);
  if (!(max > min)) return probabilities.map(() => min);
  // The top edge is exclusive: nudge it so the maximum is counted.
  const top = max + (max - min) * 1e-12 + Number.EPSILON * Math.abs(max);
  const coarse = await histogram(min, (top - min) / QUANTILE_BUCKETS, QUANTILE_BUCKETS);
  const fine = new Map<number, number[]>();
  const valueAt = async (rank: number): Promise<number> => {
    const { bucket, within } = locate(coarse, rank);
    const lo = min + ((top - min) * bucket) / QUANTILE_BUCKETS;
    const hi = min + ((top - min) * (bucket + 1)) / QUANTILE_BUCKETS;
    let counts = fine.get(bucket);
    if (!counts) fine.set(bucket, (counts = await histogram(lo, (hi - lo) / QUANTILE_BUCKETS, QUANTILE_BUCKETS)));
    const inner = locate(counts, within);
    const width = (hi - lo) / QUANTILE_BUCKETS;
    const start = lo + width * inner.bucket;
    const share = counts[inner.bucket] > 1 ? inner.within / (counts[inner.bucket] - 1) : 0.5;
    return Math.min(max, Math.max(min, start + width * share));
  };
  const out: number[] = [];
  for (const p of probabilities) {
    const position = Math.min(1, Math.max(0, p)) * (present - 1);
    const below = Math.floor(position);
    const a = await valueAt(below);
    const b = position > below ? await valueAt(below + 1) : a;
    out.push(a + (b - a) * (position - below));
  }
  return out;
}
