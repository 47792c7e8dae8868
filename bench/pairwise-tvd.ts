/**
 * The mean total variation distance of all two-way marginals, on evaluation bins that no method
 * chooses: each categorical level (and missing) a bin; a numeric column's 32 equal-width bins
 * over the public bounds, or one bin per value for a whole-number column with at most 32 values
 * in them; missing a bin of its own. TVD(i, j) = 1/2 sum |p_ij - q_ij| over the pair's cells.
 */
import { isCategorical, type Column, type Table } from '../src/core/table.js';

export const EVALUATION_BINS = 32;

/** Each row's evaluation bin in a column, with the column's bin count. */
function evaluationBins(column: Column, bounds: { min: number; max: number } | undefined) {
  const rows = isCategorical(column) ? column.codes.length : column.values.length;
  const bins = new Int32Array(rows);
  if (isCategorical(column)) {
    const count = column.levels.length + 1;
    for (let r = 0; r < rows; r++) bins[r] = column.codes[r] < 0 ? count - 1 : column.codes[r];
    return { bins, count };
  }
  if (!bounds) throw new Error(`no public bounds for the numeric column ${column.name}`);
  const { min, max } = bounds;
  const whole = Number.isInteger(min) && Number.isInteger(max) && max - min + 1 <= EVALUATION_BINS;
  const values = whole ? max - min + 1 : EVALUATION_BINS;
  const width = (max - min) / EVALUATION_BINS;
  for (let r = 0; r < rows; r++) {
    const v = column.values[r];
    if (Number.isNaN(v)) bins[r] = values;
    else if (whole) bins[r] = Math.min(values - 1, Math.max(0, Math.round(v) - min));
    else bins[r] = Math.min(values - 1, Math.max(0, Math.floor((v - min) / width)));
  }
  return { bins, count: values + 1 };
}

/** Mean two-way TVD between `real` and `synthetic` (same columns, categorical codes shared). */
export function pairwiseTvd(
  real: Table,
  synthetic: Table,
  bounds: ReadonlyMap<string, { min: number; max: number }>,
): number {
  const r = real.columns.map((c) => evaluationBins(c, bounds.get(c.name)));
  const s = synthetic.columns.map((c) => evaluationBins(c, bounds.get(c.name)));
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < r.length; i++)
    for (let j = i + 1; j < r.length; j++) {
      const cells = r[i].count * r[j].count;
      const p = new Float64Array(cells);
      const q = new Float64Array(cells);
      for (let k = 0; k < real.rowCount; k++) p[r[i].bins[k] * r[j].count + r[j].bins[k]] += 1 / real.rowCount;
      for (let k = 0; k < synthetic.rowCount; k++)
        q[s[i].bins[k] * s[j].count + s[j].bins[k]] += 1 / synthetic.rowCount;
      let tvd = 0;
      for (let c = 0; c < cells; c++) tvd += Math.abs(p[c] - q[c]);
      sum += tvd / 2;
      pairs++;
    }
  return pairs ? sum / pairs : 0;
}
