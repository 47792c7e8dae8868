/**
 * What the statistics queries may look like, checked on the SQL text sent: an aggregate of the
 * whole table (count, min, max, sum of CASE), or counts grouped by CASE-binned aliases of a
 * derived table. A query that would return the table's rows or group by a raw column fails.
 */
import type { SqlQuery } from '../../src/statistics/sql.js';

const GROUPED =
  /^select (gesalp_b\d+(?:, gesalp_b\d+)*), count\(\*\) as gesalp_n from \(select (.*)\) as gesalp_binned group by (gesalp_b\d+(?:, gesalp_b\d+)*)$/s;
const AGGREGATE = /^select (?:count|min|max|sum)\(/;
/** DuckDB only: counts over its own table of CASE-binned cells (statistics/sql.ts keptMarginalQuery). */
const KEPT =
  /^select (gesalp_k\d+ as gesalp_b\d+(?:, gesalp_k\d+ as gesalp_b\d+)*), count\(\*\) as gesalp_n from gesalp_kept group by (gesalp_k\d+(?:, gesalp_k\d+)*)$/;

/** The problem with one statistics query's text, or undefined when it only aggregates. */
export function shapeProblem(sql: string): string | undefined {
  const text = sql.trim().replace(/\s+/g, ' ');
  const grouped = GROUPED.exec(text);
  if (grouped) {
    if (grouped[1] !== grouped[3]) return 'groups by something other than its binned columns';
    // Every item of the inner select is a CASE expression with an alias gesalp_bK.
    const inner = grouped[2];
    const items = inner.split(/ as gesalp_b\d+(?:, | from )/);
    const cases = items.slice(0, -1);
    if (cases.length !== grouped[1].split(', ').length) return 'binned columns are not all CASE expressions';
    if (!cases.every((item) => item.startsWith('case when '))) return 'a grouped item is not a CASE expression';
    return undefined;
  }
  const kept = KEPT.exec(text);
  if (kept)
    return kept[1].replace(/ as gesalp_b\d+/g, '') === kept[2] ? undefined : 'groups kept cells by other columns';
  if (/group by/i.test(text)) return 'groups by something else than CASE-binned aliases';
  if (!AGGREGATE.test(text)) return 'selects something else than aggregates';
  // An ungrouped select of aggregates only: each select item starts with an aggregate.
  const list = text.slice('select '.length, text.lastIndexOf(' from '));
  if (/\bselect\b/.test(list)) return 'holds a subquery in its select list';
  return undefined;
}

export const shapeProblems = (queries: readonly (SqlQuery | string)[]): string[] =>
  queries.flatMap((q) => {
    const sql = typeof q === 'string' ? q : q.sql;
    const problem = shapeProblem(sql);
    return problem ? [`${problem}: ${sql.slice(0, 160)}`] : [];
  });
