/**
 * A numeric column's heavy values: exact values that many rows hold (the zeros of a capital
 * gain, a sentinel, a cap), each released as a bin of its own so that decoding gives the point
 * mass back instead of smearing it across a range bin. Every candidate value (each distinct value
 * present, for rows in memory; public candidates, for a database) gets a noisy count (thresholded
 * histogram); a value is released when its count clears the threshold,
 * which is at least the caller's privacy threshold and at least one bin's share of the rows
 * (a rarer value is better served by the range bins). At most `limit` are kept, the largest.
 */
import type { Mechanisms } from '../mechanisms.js';

export interface HeavyValues {
  readonly values: number[];
  readonly counts: number[];
}

export function heavyValues(
  label: string,
  values: Float64Array,
  counts: Float64Array,
  mechanisms: Mechanisms,
  noise: { readonly sigma: number; readonly threshold: number },
  limit: number,
): HeavyValues {
  const released = mechanisms.thresholded(`${label}/heavy`, values, counts, noise.sigma, noise.threshold);
  const kept = released.values
    .map((value, k) => ({ value, count: released.counts[k] }))
    .sort((a, b) => b.count - a.count || a.value - b.value)
    .slice(0, Math.max(0, limit))
    .sort((a, b) => a.value - b.value);
  return { values: kept.map((h) => h.value), counts: kept.map((h) => h.count) };
}
