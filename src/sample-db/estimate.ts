/**
 * Bounds and domains estimated from the table with their own epsilon, inside the read-only
 * transaction, on every row (so not amplified by sampling). The mechanisms (two-stage bounds,
 * stability-based domains) are in src/privacy/noisy-histogram.ts; here the counts come from SQL.
 */
import type { Knex } from 'knex';
import { optionError } from '../core/errors.js';
import { stableCategories, twoStageBounds } from '../privacy/noisy-histogram.js';
import { rawRows } from './raw-rows.js';

export {
  bucketThreshold,
  clearedRange,
  FALSE_BUCKET_PROBABILITY,
  LINEAR_BUCKETS,
  linearEdges,
  magnitudeEdges,
  SCALE_SHARE,
} from '../privacy/noisy-histogram.js';

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

export async function estimateBounds(
  run: Knex | Knex.Transaction,
  table: string,
  column: string,
  epsilon: number,
): Promise<[number, number]> {
  const estimate = await twoStageBounds((edges) => bucketCounts(run, table, column, edges), epsilon);
  if (!estimate)
    throw optionError(
      'input',
      'bounds',
      `could not estimate bounds for '${column}' with epsilon ${epsilon}: too few rows for that epsilon`,
      `Declare them: {bounds} ${column}=LOW:HIGH.`,
    );
  return estimate.bounds;
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
  const kept = stableCategories(
    rows.map((r) => [String(r.v), Number(r.n)] as const),
    epsilon,
    delta,
  );
  if (kept.length === 0)
    throw optionError(
      'input',
      'domains',
      `no category of '${column}' is frequent enough to publish with epsilon ${epsilon}`,
      `Declare the domain: {domains} ${column}=a,b,c.`,
    );
  return kept.sort();
}
