/** The target column of ML efficacy: found by name, and fit to learn from (two classes or a spread). */
import { isNumeric, type Column, type Table } from '../../core/table.js';

export type TargetProblem =
  | { readonly kind: 'unknown'; readonly message: string; readonly columns: string[] }
  | { readonly kind: 'degenerate'; readonly message: string };

/** Why `name` cannot be a target in `table` (the training rows), or undefined when it can. */
export function targetProblem(table: Table, name: string): TargetProblem | undefined {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    const columns = table.columns.map((c) => c.name);
    return { kind: 'unknown', message: `no column '${name}' in the real table`, columns };
  }
  const distinct = distinctPresent(column);
  if (distinct === 0) return { kind: 'degenerate', message: `target column '${name}' has no values` };
  if (distinct === 1)
    return {
      kind: 'degenerate',
      message: isNumeric(column)
        ? `target column '${name}' has a single value: there is nothing to predict`
        : `target column '${name}' has a single class: there is nothing to predict`,
    };
  return undefined;
}

function distinctPresent(column: Column): number {
  const seen = new Set<number>();
  if (isNumeric(column)) {
    for (const v of column.values) if (!Number.isNaN(v) && seen.add(v).size > 1) break;
  } else {
    for (const c of column.codes) if (c >= 0 && seen.add(c).size > 1) break;
  }
  return seen.size;
}
