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
  const m = columns.length;
  const scales = columns.map((c) => (isNumeric(reference.columns[c]) ? inverseRange(reference, c) : 0));
  const numeric = Uint8Array.from(columns, (c) => (isNumeric(pool.columns[c]) ? 1 : 0));
  // The pool row by row (numbers scaled, categories as codes), so a row's distance is summed in
  // one place and abandoned once it reaches the best so far.
  const cells = new Float64Array(pool.rowCount * m);
  columns.forEach((c, i) => {
    const column = pool.columns[c];
    const [values, scale] = isNumeric(column) ? [column.values, scales[i]] : [column.codes, 1];
    for (let k = 0; k < pool.rowCount; k++) cells[k * m + i] = values[k] * scale;
  });
  // A column of the other kind in the targets adds nothing: it is left out (found once per targets table).
  const usedBy = new WeakMap<Table, Int32Array>();
  const usedIn = (targets: Table): Int32Array => {
    let used = usedBy.get(targets);
    if (!used) {
      used = Int32Array.from(columns.keys()).filter(
        (i) => isNumeric(targets.columns[columns[i]]) === (numeric[i] === 1),
      );
      usedBy.set(targets, used);
    }
    return used;
  };
  return {
    nearest(targets, r) {
      const used = usedIn(targets);
      const target = new Float64Array(used.length);
      used.forEach((i, j) => {
        const column = targets.columns[columns[i]];
        target[j] = isNumeric(column) ? column.values[r] * scales[i] : column.codes[r];
      });
      return nearestRow(cells, m, used, target, numeric);
    },
  };
}

/**
 * The first row of `cells` with the smallest distance to `target` on the `used` columns. Each
 * term is at least 0 and adding it never lowers a float sum, so a row whose partial sum reaches
 * the best is passed over as soon as it does; the columns are summed in the same order as ever.
 */
function nearestRow(
  cells: Float64Array,
  m: number,
  used: Int32Array,
  target: Float64Array,
  numeric: Uint8Array,
): number {
  const rows = cells.length / m;
  let best = 0;
  let bestDistance = Infinity;
  for (let k = 0; k < rows; k++) {
    const base = k * m;
    let d = 0;
    for (let j = 0; j < used.length && d < bestDistance; j++) {
      const i = used[j];
      const y = cells[base + i];
      const x = target[j];
      d += numeric[i] === 1 ? numericTerm(x, y) : y === x ? 0 : 1;
    }
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

/** min(|x - y|, 1), with missing against missing 0 and missing against a value 1. */
function numericTerm(x: number, y: number): number {
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  const d = Math.abs(x - y);
  return d < 1 ? d : 1; // a missing y gives NaN: not < 1, so 1
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
