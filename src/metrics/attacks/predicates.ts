/**
 * Singling-out predicates: conjunctions of conditions on a few columns, built from one synthetic
 * row as Anonymeter's multivariate attack does: a numeric value v gives "column >= v" when v is
 * above the column's median, else "column <= v"; a category gives "column == c"; a missing value
 * gives "column is missing".
 */
import { isNumeric, type Table } from '../../core/table.js';
import { median } from '../stats.js';
import type { Rng } from '../../core/rng.js';

export type Condition =
  | { readonly column: number; readonly op: 'ge' | 'le'; readonly value: number }
  | { readonly column: number; readonly op: 'eq'; readonly code: number }
  | { readonly column: number; readonly op: 'missing' };

export type Predicate = readonly Condition[];

export function numericMedians(table: Table): Float64Array {
  return Float64Array.from(table.columns, (c) =>
    isNumeric(c) ? median(c.values.filter((v) => !Number.isNaN(v))) : NaN,
  );
}

/** A predicate on `width` random columns, from row `r` of `table`. */
export function predicateFromRow(table: Table, r: number, width: number, medians: Float64Array, rng: Rng): Predicate {
  const columns = table.columns.map((_, i) => i);
  for (let i = 0; i < width; i++) {
    const j = i + rng.int(columns.length - i);
    [columns[i], columns[j]] = [columns[j], columns[i]];
  }
  return columns
    .slice(0, width)
    .sort((a, b) => a - b)
    .map((c): Condition => {
      const column = table.columns[c];
      if (isNumeric(column)) {
        const v = column.values[r];
        if (Number.isNaN(v)) return { column: c, op: 'missing' };
        return { column: c, op: v > medians[c] ? 'ge' : 'le', value: v };
      }
      const code = column.codes[r];
      return code < 0 ? { column: c, op: 'missing' } : { column: c, op: 'eq', code };
    });
}

/** How many rows (of `rows`, else all) match, counting no further than `limit`. */
export function countMatches(predicate: Predicate, table: Table, limit: number, rows?: Int32Array): number {
  let count = 0;
  const n = rows ? rows.length : table.rowCount;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k] : k;
    if (matches(predicate, table, r) && ++count >= limit) break;
  }
  return count;
}

function matches(predicate: Predicate, table: Table, r: number): boolean {
  for (const condition of predicate) {
    const column = table.columns[condition.column];
    if (isNumeric(column)) {
      const v = column.values[r];
      if (condition.op === 'missing') {
        if (!Number.isNaN(v)) return false;
      } else if (condition.op === 'ge') {
        if (!(v >= condition.value)) return false;
      } else if (condition.op === 'le') {
        if (!(v <= condition.value)) return false;
      } else return false;
    } else {
      const code = column.codes[r];
      if (condition.op === 'missing') {
        if (code >= 0) return false;
      } else if (condition.op === 'eq') {
        if (code !== condition.code) return false;
      } else return false;
    }
  }
  return true;
}

export const predicateKey = (p: Predicate): string => JSON.stringify(p);
