/**
 * Noisy histograms with a release threshold: the pieces sample-db's bound and domain estimates
 * (src/sample-db/estimate.ts) and generate's DP preprocessing (src/privacy/preprocessing/) share.
 * Where the counts come from (SQL, or rows in memory) is the caller's; the mathematics is here.
 * - Bounds, in two stages, so the buckets adapt to the column's scale: first (SCALE_SHARE of the
 *   epsilon) a histogram over signed powers of two (2^-10 .. 2^62) finds the order of magnitude,
 *   then (the rest) a histogram of equal buckets across that range, one power of two wider on each
 *   side, finds the bounds. Each row falls in one bucket of each, so each noisy histogram
 *   (Laplace(1/eps) per count) is eps-DP. A bucket counts only when its noisy count clears
 *   ln(B / (2 beta)) / eps: then all B empty buckets stay below it with probability at least
 *   1 - beta, so the noise of empty buckets far out (which once put the bounds of an age at -1e11)
 *   cannot widen the range; the bounds are the outer edges of the buckets that clear it.
 * - Categories: a value read from the data would reveal that some row holds it, however rare. So a
 *   category is kept only if its Laplace(1/eps)-noised count clears 1 + ln(1/delta)/eps: a value
 *   held by one row passes with probability delta/2 (the stability-based histogram, (eps, delta)-DP).
 */
import { laplace } from './mechanisms.js';

export const LINEAR_BUCKETS = 64;
/** Share of the bounds' epsilon spent finding the scale; the rest finds the bounds within it. */
export const SCALE_SHARE = 1 / 3;
/** Chance that some empty bucket's noise clears the threshold, per stage. */
export const FALSE_BUCKET_PROBABILITY = 1e-4;

/** Signed powers of two, -2^62 .. -2^-10, 2^-10 .. 2^62: the buckets between them cover every scale. */
export function magnitudeEdges(): number[] {
  const positive: number[] = [];
  for (let exponent = -10; exponent <= 62; exponent++) positive.push(2 ** exponent);
  return [
    ...positive
      .slice()
      .reverse()
      .map((v) => -v),
    ...positive,
  ];
}

export function linearEdges(lo: number, hi: number, buckets = LINEAR_BUCKETS): number[] {
  return Array.from({ length: buckets + 1 }, (_, i) => (i === buckets ? hi : lo + ((hi - lo) * i) / buckets));
}

/** The noisy-count threshold that all `buckets` empty buckets stay below with probability 1 - FALSE_BUCKET_PROBABILITY. */
export const bucketThreshold = (buckets: number, epsilon: number): number =>
  Math.log(buckets / (2 * FALSE_BUCKET_PROBABILITY)) / epsilon;

/** The outer edges of the buckets whose noisy count clears the threshold, or undefined when none does. */
export function clearedRange(
  edges: readonly number[],
  noisy: readonly number[],
  threshold: number,
): [number, number] | undefined {
  const cleared = noisy.flatMap((count, b) => (count > threshold ? [b] : []));
  if (cleared.length === 0) return undefined;
  return [edges[cleared[0]], edges[cleared[cleared.length - 1] + 1]];
}

/** One bucket more on each side of a range of `edges` (post-processing of a released range). */
export function widen(edges: readonly number[], [lo, hi]: [number, number]): [number, number] {
  const low = edges.indexOf(lo);
  const high = edges.indexOf(hi);
  return [edges[Math.max(0, low - 1)], edges[Math.min(edges.length - 1, high + 1)]];
}

/** Each count plus Laplace(1/epsilon) noise: epsilon-DP when each row adds to one count. */
export const noisyCounts = (counts: readonly number[], epsilon: number): number[] =>
  counts.map((n) => n + laplace(1 / epsilon));

/** Counts the rows in each bucket [edges[b], edges[b + 1]) of a column. */
export type BucketCounter = (edges: readonly number[]) => Promise<number[]>;

/** One noisy histogram: its edges, its noisy counts, and the range of the buckets that clear the threshold. */
export interface NoisyHistogram {
  readonly edges: number[];
  readonly noisy: number[];
  readonly range: [number, number] | undefined;
}

export async function noisyHistogram(count: BucketCounter, edges: number[], epsilon: number): Promise<NoisyHistogram> {
  const noisy = noisyCounts(await count(edges), epsilon);
  return { edges, noisy, range: clearedRange(edges, noisy, bucketThreshold(noisy.length, epsilon)) };
}

/**
 * The two-stage bounds at `epsilon` in all (undefined when too few rows clear the first stage), with
 * the second stage's histogram, which later steps may post-process for free (quantiles).
 */
export async function twoStageBounds(
  count: BucketCounter,
  epsilon: number,
  buckets = LINEAR_BUCKETS,
): Promise<{ bounds: [number, number]; fine: NoisyHistogram } | undefined> {
  const coarse = await noisyHistogram(count, magnitudeEdges(), epsilon * SCALE_SHARE);
  if (!coarse.range) return undefined;
  return fineStage(count, coarse.range, epsilon * (1 - SCALE_SHARE), buckets);
}

/**
 * The first stage alone: the range of powers of two whose noisy counts clear the threshold, or,
 * when none does (few rows for the epsilon), the single bucket with the largest noisy count
 * (report-noisy-max, post-processing of the same histogram).
 */
export async function scaleStage(count: BucketCounter, epsilon: number): Promise<[number, number]> {
  const coarse = await noisyHistogram(count, magnitudeEdges(), epsilon);
  if (coarse.range) return coarse.range;
  const best = coarse.noisy.indexOf(Math.max(...coarse.noisy));
  return [coarse.edges[best], coarse.edges[best + 1]];
}

/**
 * The second stage alone, at `epsilon`, over a scale released by a first stage (a range of powers
 * of two): the bounds are the outer edges of the buckets that clear the threshold, or the scale
 * itself when none does.
 */
export async function fineStage(
  count: BucketCounter,
  scaleRange: [number, number],
  epsilon: number,
  buckets = LINEAR_BUCKETS,
): Promise<{ bounds: [number, number]; fine: NoisyHistogram }> {
  // The thinner tails of the scale's range may not clear the threshold: one more power of two on
  // each side (free: it is computed from the noisy answer) lets the second stage find them.
  const scale = widen(magnitudeEdges(), scaleRange);
  const fine = await noisyHistogram(count, linearEdges(scale[0], scale[1], buckets), epsilon);
  return { bounds: fine.range ?? scaleRange, fine };
}

/** The stability-based histogram's threshold: a count of one clears it with probability delta / 2. */
export const releaseThreshold = (epsilon: number, delta: number): number => 1 + Math.log(1 / delta) / epsilon;

/**
 * The categories whose Laplace(1/epsilon)-noised count clears releaseThreshold, in the order
 * given, each with that noisy count: the stability-based histogram's whole output (releasing the
 * noisy counts of released categories costs nothing more).
 */
export function stableCounts<T>(
  counts: readonly (readonly [T, number])[],
  epsilon: number,
  delta: number,
): [T, number][] {
  const threshold = releaseThreshold(epsilon, delta);
  return counts.flatMap(([category, n]): [T, number][] => {
    const noisy = n + laplace(1 / epsilon);
    return noisy > threshold ? [[category, noisy]] : [];
  });
}

/** The categories stableCounts releases, without their counts. */
export const stableCategories = <T>(counts: readonly (readonly [T, number])[], epsilon: number, delta: number): T[] =>
  stableCounts(counts, epsilon, delta).map(([category]) => category);
