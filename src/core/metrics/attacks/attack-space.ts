/**
 * The space the neighbour attacks search in: Gower's distance (as Anonymeter), the mean over
 * the attacker's columns of |x - y| / range for numeric columns (range from the training rows)
 * and of 0/1 mismatch for categorical ones; missing against missing is 0, missing against a
 * value is 1.
 */
import { isNumeric, type Table } from '../../table.js';

export interface AttackColumns {
  /** Indices of the columns the attacker knows. */
  readonly columns: readonly number[];
  /** 1 / range per numeric column (0 for a constant one), by column index. */
  readonly inverseRange: Float64Array;
}

export function attackColumns(reference: Table, columns: readonly number[]): AttackColumns {
  const inverseRange = new Float64Array(reference.columns.length);
  for (const c of columns) {
    const column = reference.columns[c];
    if (!isNumeric(column)) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of column.values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    inverseRange[c] = hi > lo ? 1 / (hi - lo) : 0;
  }
  return { columns, inverseRange };
}

/** The row of `pool` nearest to row `r` of `targets` (the first of ties). `scratch`: a reusable buffer. */
export function nearestRow(
  space: AttackColumns,
  targets: Table,
  r: number,
  pool: Table,
  scratch?: Float64Array,
): number {
  const distances = scratch && scratch.length === pool.rowCount ? scratch.fill(0) : new Float64Array(pool.rowCount);
  for (const c of space.columns) {
    const target = targets.columns[c];
    const other = pool.columns[c];
    if (isNumeric(target) && isNumeric(other)) {
      const x = target.values[r];
      const scale = space.inverseRange[c];
      const values = other.values;
      if (Number.isNaN(x)) {
        for (let k = 0; k < values.length; k++) distances[k] += Number.isNaN(values[k]) ? 0 : 1;
      } else {
        for (let k = 0; k < values.length; k++) {
          const y = values[k];
          distances[k] += Number.isNaN(y) ? 1 : Math.min(Math.abs(x - y) * scale, 1);
        }
      }
    } else if (!isNumeric(target) && !isNumeric(other)) {
      const x = target.codes[r];
      const codes = other.codes;
      for (let k = 0; k < codes.length; k++) distances[k] += codes[k] === x ? 0 : 1;
    }
  }
  let best = 0;
  for (let k = 1; k < distances.length; k++) if (distances[k] < distances[best]) best = k;
  return best;
}
