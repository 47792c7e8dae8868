/**
 * Bounds and domains estimated from the table with their own epsilon, inside the read-only
 * transaction, on every row (so not amplified by sampling).
 * - Bounds: counts in public buckets (a 1-2-5 series from -1e12 to 1e12) with Laplace(1/eps)
 *   noise; each row falls in one bucket, so the histogram is eps-DP. The bounds are the bucket
 *   edges holding 0.5 % and 99.5 % of the noisy mass.
 * - Domains: a value read from the data would reveal that some row holds it, however rare. So a
 *   category is kept only if its Laplace(1/eps)-noised count clears 1 + ln(1/delta)/eps: a value
 *   held by one row passes with probability at most delta/2 (the stability-based histogram,
 *   (eps, delta)-DP).
 */
import type { Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import { laplace } from '../mechanisms.js';
import { rawRows } from './raw-rows.js';

export function bucketEdges(): number[] {
  const positive: number[] = [];
  for (let exponent = -3; exponent <= 12; exponent++) for (const m of [1, 2, 5]) positive.push(m * 10 ** exponent);
  return [
    ...positive
      .slice()
      .reverse()
      .map((v) => -v),
    0,
    ...positive,
  ];
}

export async function estimateBounds(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  epsilon: number,
): Promise<[number, number]> {
  const edges = bucketEdges();
  const parts: string[] = [];
  const bindings: (string | number)[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    // "* 1.0" compares as a number in every engine (PostgreSQL would type the edges as the column's integer type).
    parts.push(`sum(case when ?? * 1.0 >= ? and ?? * 1.0 < ? then 1 else 0 end) as b${b}`);
    bindings.push(column, edges[b], column, edges[b + 1]);
  }
  const result = await run.raw(`select ${parts.join(', ')} from ??`, [...bindings, table]);
  const row = rawRows(result)[0] ?? {};
  const noisy = edges.slice(1).map((_, b) => Math.max(0, Number(row[`b${b}`] ?? 0) + laplace(1 / epsilon)));
  const total = noisy.reduce((a, x) => a + x, 0);
  if (total <= 0)
    throw new GesalpError(
      'input',
      `could not estimate bounds for '${column}' with epsilon ${epsilon}`,
      `Declare them: --bounds ${column}=LOW:HIGH.`,
    );
  let cumulative = 0;
  let lo = edges[0];
  let hi = edges[edges.length - 1];
  let foundLo = false;
  for (let b = 0; b < noisy.length; b++) {
    cumulative += noisy[b];
    if (!foundLo && cumulative >= 0.005 * total) {
      lo = edges[b];
      foundLo = true;
    }
    if (cumulative >= 0.995 * total) {
      hi = edges[b + 1];
      break;
    }
  }
  return [lo, hi];
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
