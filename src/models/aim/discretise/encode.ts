/** A table's rows as bin codes, one Int32Array per column, through the columns' coders. */
import { isCategorical, type Table } from '../../../core/table.js';
import { canonical, type ColumnCoder, type NumericCoder } from './coder.js';

export function encodeTable(table: Table, coders: readonly ColumnCoder[]): Int32Array[] {
  return table.columns.map((column, j) => {
    const coder = coders[j];
    const out = new Int32Array(table.rowCount);
    if (coder.kind === 'categorical') {
      if (!isCategorical(column)) throw new Error(`column ${column.name} is not categorical`);
      const missing = coder.missing ? coder.levels.length : 0;
      for (let r = 0; r < out.length; r++) {
        const code = column.codes[r];
        out[r] = code < 0 || code >= coder.levels.length ? missing : code;
      }
      return out;
    }
    if (isCategorical(column)) throw new Error(`column ${column.name} is not numeric`);
    for (let r = 0; r < out.length; r++) out[r] = numericBin(coder, column.values[r]);
    return out;
  });
}

/**
 * The bin of one value. A missing value where the coder has no missing bin (the public bounds
 * said the column has none) goes to bin 0, a fixed choice that reads nothing of the data.
 */
export function numericBin(coder: NumericCoder, value: number): number {
  const points = coder.points.length;
  if (Number.isNaN(value)) return coder.missing ? points + (coder.cuts ? coder.cuts.length + 1 : 0) : 0;
  const v = canonical(value, coder.step, coder.min, coder.max);
  const point = findExact(coder.points, v);
  if (point >= 0) return point;
  if (!coder.cuts) return nearest(coder.points, v);
  let lo = 0;
  let hi = coder.cuts.length;
  // The first cut above v: range bins are [cut_{k-1}, cut_k).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (coder.cuts[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return points + lo;
}

function findExact(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === v) return mid;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function nearest(sorted: readonly number[], v: number): number {
  let best = 0;
  for (let k = 1; k < sorted.length; k++) if (Math.abs(sorted[k] - v) < Math.abs(sorted[best] - v)) best = k;
  return best;
}
