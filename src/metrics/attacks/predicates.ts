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

export const predicateKey = (p: Predicate): string => JSON.stringify(p);
