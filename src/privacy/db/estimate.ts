/**
 * Bounds and domains estimated from the table with their own epsilon, inside the read-only
 * transaction, on every row (so not amplified by sampling).
 * - Bounds, in two stages, so the buckets adapt to the column's scale: first (SCALE_SHARE of the
 *   epsilon) a histogram over signed powers of two (2^-10 .. 2^62) finds the order of magnitude,
 *   then (the rest) a histogram of LINEAR_BUCKETS equal buckets across that range, one power of two
 *   wider on each side, finds the bounds. Each row falls
 *   in one bucket of each, so each noisy histogram (Laplace(1/eps) per count) is eps-DP. A bucket
 *   counts only when its noisy count clears ln(B / (2 beta)) / eps: then all B empty buckets stay
 *   below it with probability at least 1 - beta, so the noise of empty buckets far out (which
 *   once put the bounds of an age at -1e11) cannot widen the range; the bounds are the outer edges
 *   of the buckets that clear it.
 * - Domains: a value read from the data would reveal that some row holds it, however rare. So a
 *   category is kept only if its Laplace(1/eps)-noised count clears 1 + ln(1/delta)/eps: a value
 *   held by one row passes with probability at most delta/2 (the stability-based histogram,
 *   (eps, delta)-DP).
 */
import type { Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import { laplace } from '../mechanisms.js';
import { rawRows } from './raw-rows.js';

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

function widen(edges: readonly number[], [lo, hi]: [number, number]): [number, number] {
  const low = edges.indexOf(lo);
  const high = edges.indexOf(hi);
  return [edges[Math.max(0, low - 1)], edges[Math.min(edges.length - 1, high + 1)]];
}

async function bucketCounts(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  edges: readonly number[],
): Promise<number[]> {
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    // "* 1.0" compares as a number in every engine (PostgreSQL would type the edges as the column's integer type).
    parts.push(`sum(case when ?? * 1.0 >= ? and ?? * 1.0 < ? then 1 else 0 end) as b${b}`);
    bindings.push(column, edges[b], column, edges[b + 1]);
  }
  const result = await run.raw(`select ${parts.join(', ')} from ??`, [...bindings, table]);
  const row = rawRows(result)[0] ?? {};
  return edges.slice(1).map((_, b) => Number(row[`b${b}`] ?? 0));
}

async function noisyRange(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  edges: readonly number[],
  epsilon: number,
): Promise<[number, number] | undefined> {
  const counts = await bucketCounts(run, table, column, edges);
  const noisy = counts.map((n) => n + laplace(1 / epsilon));
  return clearedRange(edges, noisy, bucketThreshold(counts.length, epsilon));
}

export async function estimateBounds(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  epsilon: number,
): Promise<[number, number]> {
  const magnitudes = magnitudeEdges();
  const coarse = await noisyRange(run, table, column, magnitudes, epsilon * SCALE_SHARE);
  if (!coarse)
    throw new GesalpError(
      'input',
      `could not estimate bounds for '${column}' with epsilon ${epsilon}: too few rows for that epsilon`,
      `Declare them: --bounds ${column}=LOW:HIGH.`,
    );
  // The thinner tails of the scale's range may not clear the threshold: one more power of two on
  // each side (free: it is computed from the noisy answer) lets the second stage find them.
  const scale = widen(magnitudes, coarse);
  const fine = await noisyRange(run, table, column, linearEdges(scale[0], scale[1]), epsilon * (1 - SCALE_SHARE));
  return fine ?? coarse;
}

export async function estimateDomain(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  epsilon: number,
  delta: number,
): Promise<string[]> {
  const result = await run.raw('select ?? as v, count(*) as n from ?? where ?? is not null group by ??', [
    column,
    table,
    column,
    column,
  ]);
  const rows = rawRows<{ v: unknown; n: unknown }>(result);
  const threshold = 1 + Math.log(1 / delta) / epsilon;
  const kept = rows.filter((r) => Number(r.n) + laplace(1 / epsilon) > threshold).map((r) => String(r.v));
  if (kept.length === 0)
    throw new GesalpError(
      'input',
      `no category of '${column}' is frequent enough to publish with epsilon ${epsilon}`,
      `Declare the domain: --domain ${column}=a,b,c.`,
    );
  return kept.sort();
}
