/**
 * A numeric column's bounds and quantiles under DP: the two-stage noisy histogram of
 * src/privacy/noisy-histogram.ts gives the bounds, and the quantiles are post-processing of its
 * second stage (the noisy counts between the bounds, negatives taken as 0, read as a piecewise
 * uniform density), so all of them cost the column's epsilon once. (The exponential mechanism
 * would pay for each quantile separately: 32 quantiles at a 32nd of an already small share each
 * land thousands of ranks off, where one histogram's noise is a few counts per bucket.)
 */
import {
  fineStage,
  linearEdges,
  noisyHistogram,
  magnitudeEdges,
  scaleStage,
  SCALE_SHARE,
  twoStageBounds,
  widen,
  type NoisyHistogram,
} from '../noisy-histogram.js';

/** Quantiles per numeric column: enough for TabDDPM's quantile-normal map and for drawing values for a mixture. */
export const DP_QUANTILES = 32;

export interface DpNumericEstimate {
  readonly min: number;
  readonly max: number;
  readonly quantiles: number[];
}

/** Counts of the values in each bucket [edges[b], edges[b + 1]). */
export function bucketCounts(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  let b = 0;
  for (const v of sorted) {
    if (v < edges[0]) continue;
    while (b < counts.length && v >= edges[b + 1]) b++;
    if (b === counts.length) break;
    counts[b]++;
  }
  return counts;
}

/** epsilon-DP bounds and DP_QUANTILES quantiles of the non-missing values, or undefined when too few rows clear the threshold. */
export async function dpNumericEstimate(
  values: ArrayLike<number>,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<DpNumericEstimate | undefined> {
  const sorted = sortedValues(values);
  const estimate = await twoStageBounds(async (edges) => bucketCounts(sorted, edges), epsilon);
  if (!estimate) return undefined;
  const [min, max] = estimate.bounds;
  return { min, max, quantiles: quantilesWithin(estimate.fine, min, max, quantiles) };
}

/**
 * The same estimate that never gives up: when no power of two clears the first stage's threshold
 * (few rows for the epsilon), the one with the largest noisy count sets the scale.
 */
export async function dpNumericAlways(
  values: ArrayLike<number>,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<DpNumericEstimate> {
  const sorted = sortedValues(values);
  const count = async (edges: readonly number[]) => bucketCounts(sorted, edges);
  const scale = await scaleStage(count, epsilon * SCALE_SHARE);
  const { bounds, fine } = await fineStage(count, scale, epsilon * (1 - SCALE_SHARE));
  return { min: bounds[0], max: bounds[1], quantiles: quantilesWithin(fine, bounds[0], bounds[1], quantiles) };
}

/**
 * epsilon-DP bounds that cover the column rather than trim it, for a method that cuts its own bins
 * inside them from its own noisy histogram (AIM): the first stage alone, at the whole epsilon, over
 * signed powers of two, and the range of the buckets that clear its threshold (when none does, the
 * COVER_WINDOW consecutive ones with the largest noisy sum) widened by one power of two on each side. A power of two holds far more rows than one of
 * the second stage's 64 equal buckets, so at a small epsilon it clears where those do not: the
 * second stage's threshold (hundreds to thousands of rows) cut a wide column such as a survey
 * weight down to its busiest few buckets and piled the rest on the bounds. The quantiles are
 * evenly spaced (nothing reads them: the method measures its own).
 */
export async function dpNumericCover(
  values: ArrayLike<number>,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<DpNumericEstimate> {
  const sorted = sortedValues(values);
  const histogram = await noisyHistogram(async (e) => bucketCounts(sorted, e), magnitudeEdges(), epsilon);
  return cover(histogram, histogram.range ?? busiestWindow(histogram, COVER_WINDOW), quantiles);
}

/** A cover's estimate: `range` widened by one bucket on each side, its quantiles evenly spaced (nothing reads them). */
function cover(histogram: NoisyHistogram, range: [number, number], quantiles: number): DpNumericEstimate {
  const [min, max] = widen(histogram.edges, range);
  return {
    min,
    max,
    quantiles: Array.from({ length: quantiles }, (_, j) =>
      j === quantiles - 1 ? max : min + ((max - min) * j) / Math.max(1, quantiles - 1),
    ),
  };
}

/** The cleared range, or the busiest single bucket where none clears (post-processing). */
function clearedOrBusiest(histogram: NoisyHistogram): [number, number] {
  if (histogram.range) return histogram.range;
  const best = histogram.noisy.indexOf(Math.max(...histogram.noisy));
  return [histogram.edges[best], histogram.edges[best + 1]];
}

/**
 * epsilon-DP quantiles inside public bounds: one noisy histogram of equal buckets from `min` to
 * `max`, each value clamped into the bounds first (as decoding clamps; each row then moves one count
 * by one), read as a piecewise uniform density.
 */
export async function dpQuantilesWithin(
  values: ArrayLike<number>,
  min: number,
  max: number,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<number[]> {
  const clamped = sortedValues(Array.from(values, (v) => Math.min(max, Math.max(min, v))));
  const count = async (edges: readonly number[]) => {
    const counts = bucketCounts(clamped, edges);
    // The top edge is exclusive in bucketCounts: the values at max belong to the last bucket.
    counts[counts.length - 1] += clamped.length - clamped.findLastIndex((v) => v < max) - 1;
    return counts;
  };
  const histogram = await noisyHistogram(count, linearEdges(min, max), epsilon);
  return quantilesWithin(histogram, min, max, quantiles);
}

/** Dates are read in this public window, by calendar month (a date outside it counts in no bucket). */
export const DATE_WINDOW = { from: 1900, to: 2100 } as const;

/** Month starts from DATE_WINDOW.from to DATE_WINDOW.to, in seconds since 1970. */
export function monthEdges(): number[] {
  const edges: number[] = [];
  for (let year = DATE_WINDOW.from; year < DATE_WINDOW.to; year++)
    for (let month = 0; month < 12; month++) edges.push(Date.UTC(year, month, 1) / 1000);
  edges.push(Date.UTC(DATE_WINDOW.to, 0, 1) / 1000);
  return edges;
}

/**
 * epsilon-DP bounds and quantiles of a date column: one noisy histogram of the months of the public
 * window; the bounds are the months that clear the threshold (the busiest month when none does).
 */
export async function dpDateEstimate(
  values: ArrayLike<number>,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<DpNumericEstimate> {
  const sorted = sortedValues(values);
  const histogram = await noisyHistogram(async (edges) => bucketCounts(sorted, edges), monthEdges(), epsilon);
  const range = clearedOrBusiest(histogram);
  return { min: range[0], max: range[1], quantiles: quantilesWithin(histogram, range[0], range[1], quantiles) };
}

/** Powers of two a cover spans when no single one clears its threshold. */
export const COVER_WINDOW = 8;

/**
 * The `width` consecutive buckets with the largest noisy sum (post-processing): where no bucket
 * clears the threshold (a few hundred rows spread over several powers of two), the busiest single
 * bucket is hardly above the largest of the empty buckets' noise and often lands far from the
 * rows, while a window's sum adds the rows of every bucket it spans and the noise only as its
 * square root.
 */
export function busiestWindow(histogram: NoisyHistogram, width: number): [number, number] {
  const { edges, noisy } = histogram;
  const w = Math.min(width, noisy.length);
  let sum = noisy.slice(0, w).reduce((s, x) => s + x, 0);
  let [best, at] = [sum, 0];
  for (let i = w; i < noisy.length; i++) {
    sum += noisy[i] - noisy[i - w];
    if (sum > best) [best, at] = [sum, i - w + 1];
  }
  return [edges[at], edges[at + w]];
}

/** Decade starts from DATE_WINDOW.from to DATE_WINDOW.to, in seconds since 1970. */
export function decadeEdges(): number[] {
  const edges: number[] = [];
  for (let year = DATE_WINDOW.from; year <= DATE_WINDOW.to; year += 10) edges.push(Date.UTC(year, 0, 1) / 1000);
  return edges;
}

/**
 * epsilon-DP bounds that cover a date column, for a method that bins it itself (as dpNumericCover):
 * one noisy histogram of the decades of the public window, the decades that clear the threshold
 * (the busiest when none does) widened by one decade on each side, within the window. A decade holds
 * ten years of rows, so it clears where no month does: a table of a few thousand rows over a few
 * years has no month above the month histogram's threshold, whose busiest noisy month then set both
 * bounds at a random month and every date decoded into it. Quantiles evenly spaced, as there.
 */
export async function dpDateCover(
  values: ArrayLike<number>,
  epsilon: number,
  quantiles = DP_QUANTILES,
): Promise<DpNumericEstimate> {
  const sorted = sortedValues(values);
  const histogram = await noisyHistogram(async (e) => bucketCounts(sorted, e), decadeEdges(), epsilon);
  return cover(histogram, clearedOrBusiest(histogram), quantiles);
}

function sortedValues(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[]);
  return sorted.sort();
}

/**
 * `m` quantiles (probabilities 0, 1/(m-1), ..., 1) of the histogram's buckets inside [min, max],
 * each bucket's noisy count spread evenly across it; evenly spaced when no bucket there has mass.
 */
export function quantilesWithin(histogram: NoisyHistogram, min: number, max: number, m: number): number[] {
  const { edges, noisy } = histogram;
  const buckets: { lo: number; hi: number; weight: number }[] = [];
  for (let b = 0; b < noisy.length; b++)
    if (edges[b] >= min && edges[b + 1] <= max)
      buckets.push({ lo: edges[b], hi: edges[b + 1], weight: Math.max(0, noisy[b]) });
  const total = buckets.reduce((sum, bucket) => sum + bucket.weight, 0);
  const out: number[] = [];
  for (let j = 0; j < m; j++) {
    const p = m === 1 ? 0.5 : j / (m - 1);
    if (j === 0 || !(total > 0)) out.push(j === 0 ? min : j === m - 1 ? max : min + (max - min) * p);
    else if (j === m - 1) out.push(max);
    else out.push(Math.max(out[j - 1], inverseCdf(buckets, p * total)));
  }
  return out;
}

function inverseCdf(buckets: readonly { lo: number; hi: number; weight: number }[], mass: number): number {
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.weight > 0 && below + bucket.weight >= mass)
      return bucket.lo + ((bucket.hi - bucket.lo) * (mass - below)) / bucket.weight;
    below += bucket.weight;
  }
  return buckets[buckets.length - 1].hi;
}
