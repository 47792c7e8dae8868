/**
 * The space the neighbour attacks search in: Gower's distance (as Anonymeter), the mean over
 * the attacker's columns of min(|x - y| / range, 1) for numeric columns (range from the
 * training rows) and of 0/1 mismatch for categorical ones; missing against missing is 0,
 * missing against a value is 1. (The sum is used: it ranks rows as the mean does.)
 */
import { isNumeric, type Table } from '../../core/table.js';

export interface NeighbourSearch {
  /** The row of the pool nearest to row `r` of `targets` (the first of ties). */
  nearest(targets: Table, r: number): number;
}

/** A search over `pool` on `columns`, numeric columns scaled by `reference`'s range. */
export function neighbourSearch(reference: Table, pool: Table, columns: readonly number[]): NeighbourSearch {
  const scales = columns.map((c) => (isNumeric(reference.columns[c]) ? inverseRange(reference, c) : 0));
  // The pool's numeric columns scaled once, so a search is one subtraction per cell.
  const scaled = columns.map((c, i) => {
    const column = pool.columns[c];
    return isNumeric(column) ? column.values.map((v) => v * scales[i]) : null;
  });
  const distances = new Float64Array(pool.rowCount);
  return {
    nearest(targets, r) {
      distances.fill(0);
      columns.forEach((c, i) => {
        const target = targets.columns[c];
        const values = scaled[i];
        if (values && isNumeric(target)) addNumeric(distances, values, target.values[r] * scales[i]);
        else if (!values && !isNumeric(target)) {
          const other = pool.columns[c] as { codes: Int32Array };
          addCategorical(distances, other.codes, target.codes[r]);
        }
      });
      let best = 0;
      for (let k = 1; k < distances.length; k++) if (distances[k] < distances[best]) best = k;
      return best;
    },
  };
}

function addNumeric(distances: Float64Array, values: Float64Array, x: number): void {
  if (Number.isNaN(x)) {
    for (let k = 0; k < values.length; k++) distances[k] += values[k] !== values[k] ? 0 : 1;
    return;
  }
  for (let k = 0; k < values.length; k++) {
    const d = Math.abs(x - values[k]);
    distances[k] += d < 1 ? d : 1; // a missing y gives NaN: not < 1, so 1
  }
}

function addCategorical(distances: Float64Array, codes: Int32Array, x: number): void {
  for (let k = 0; k < codes.length; k++) distances[k] += codes[k] === x ? 0 : 1;
}

function inverseRange(table: Table, c: number): number {
  const column = table.columns[c];
  if (!isNumeric(column)) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of column.values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? 1 / (hi - lo) : 0;
}
