/**
 * The quality score of SPEC section 5: what a person reads first. 0-100, higher is better: the
 * mean of the column-shape score and the pair-trend score, as SDMetrics' Quality Report computes
 * its overall score.
 * - Column shapes: per column 1 - KS (numeric, dates) or 1 - TVD (categorical), the same per-column
 *   values ks_mean and tvd_mean average; their mean.
 * - Pair trends: per column pair, 1 - |r_real - r_synthetic| / 2 for two numeric columns (Pearson r),
 *   else 1 - TVD of the pair's joint shares, numeric columns cut into 10 equal-width bins over the
 *   real column's range (SDMetrics' ContingencySimilarity); missing is a value of its own. Their mean,
 *   over the pairs corr_delta reads (all up to its cap, past it the same seeded sample).
 * It decides nothing: the checks' standing ranks attempts and decides the gate.
 */
import { isNumeric, type Column, type Table } from '../core/table.js';
import { columnPairs } from './formulas/column-pairs.js';
import { pairAssociation } from './formulas/pair-association.js';

export interface QualityScore {
  /** 0-100: the mean of the two sub-scores (the column shapes alone for a one-column table). */
  readonly score: number;
  /** 0-100: the mean column-shape score. */
  readonly column_shapes: number;
  /** 0-100: the mean pair-trend score; null for fewer than two columns. */
  readonly column_pair_trends: number | null;
  /** Column pairs the pair-trend score averages. */
  readonly pairs: number;
}

/** Bins of a numeric column in a pair's joint shares (SDMetrics' default). */
const PAIR_BINS = 10;

/** `perColumn`: each column's KS or TVD, as the fidelity metrics computed them (null: not measured). */
export function qualityScore(
  real: Table,
  synthetic: Table,
  perColumn: {
    readonly ks: Readonly<Record<string, number | null>>;
    readonly tvd: Readonly<Record<string, number | null>>;
  },
  seed = 0,
): QualityScore | null {
  const shapes = real.columns
    .map((c) => (isNumeric(c) ? perColumn.ks[c.name] : perColumn.tvd[c.name]))
    .filter((d): d is number => d !== null && d !== undefined && Number.isFinite(d))
    .map((d) => 1 - d);
  if (!shapes.length) return null;
  const pairs = columnPairs(real.columns.length, undefined, seed);
  // Each column's cells once, not once per pair it is in.
  const cells = new Map<number, ColumnCells>();
  const cellsOf = (c: number): ColumnCells => {
    if (!cells.has(c)) cells.set(c, columnCells(real.columns[c], synthetic.columns[c]));
    return cells.get(c)!;
  };
  const trends: number[] = [];
  for (let k = 0; k < pairs.first.length; k++) {
    const [i, j] = [pairs.first[k], pairs.second[k]];
    const pair = (t: Table) => [t.columns[i], t.columns[j]] as const;
    trends.push(pairTrend(pair(real), pair(synthetic), (side) => cellsOf(side === 0 ? i : j)));
  }
  const column_shapes = 100 * mean(shapes);
  const column_pair_trends = trends.length ? 100 * mean(trends) : null;
  return {
    score: round(column_pair_trends === null ? column_shapes : (column_shapes + column_pair_trends) / 2),
    column_shapes: round(column_shapes),
    column_pair_trends: column_pair_trends === null ? null : round(column_pair_trends),
    pairs: trends.length,
  };
}

/**
 * One pair's trend score in [0, 1]: correlation similarity for two numeric columns, else contingency
 * similarity over the cells `cellsOf` gives for each side of the pair.
 */
export function pairTrend(
  real: readonly [Column, Column],
  synthetic: readonly [Column, Column],
  cellsOf: (side: 0 | 1) => ColumnCells = (side) => columnCells(real[side], synthetic[side]),
): number {
  const [a, b] = real;
  const [x, y] = synthetic;
  if (isNumeric(a) && isNumeric(b) && isNumeric(x) && isNumeric(y))
    return 1 - Math.abs(pairAssociation(a, b) - pairAssociation(x, y)) / 2; // Pearson r, as corr_delta has it
  return 1 - jointDistance(cellsOf(0), cellsOf(1));
}

/**
 * A column's cell per row of each table, shifted by one so that 0 is missing: a category code, or
 * one of PAIR_BINS equal-width bins over the real column's range; `count` cells in all.
 */
interface ColumnCells {
  readonly count: number;
  readonly real: Int32Array;
  readonly synthetic: Int32Array;
}

function columnCells(real: Column, synthetic: Column): ColumnCells {
  if (!isNumeric(real)) {
    const shifted = (codes: Int32Array) => {
      const cells = new Int32Array(codes.length);
      for (let i = 0; i < codes.length; i++) cells[i] = codes[i] + 1;
      return cells;
    };
    return {
      count: real.levels.length + 1,
      real: shifted(real.codes),
      synthetic: shifted((synthetic as { codes: Int32Array }).codes),
    };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of real.values)
    if (!Number.isNaN(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  const width = (hi - lo) / PAIR_BINS;
  // A loop, not Int32Array.from(values, f): that lists every value in the JS heap first.
  const binned = (values: Float64Array) => {
    const cells = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // Synthetic values past the real range fall into the end bins, as SDMetrics clips them.
      if (!Number.isNaN(v))
        cells[i] = 1 + (width > 0 ? Math.min(PAIR_BINS - 1, Math.max(0, Math.floor((v - lo) / width))) : 0);
    }
    return cells;
  };
  return {
    count: PAIR_BINS + 1,
    real: binned(real.values),
    synthetic: binned((synthetic as { values: Float64Array }).values),
  };
}

/** Joint tables up to this many cells are arrays; past it (two high-cardinality columns) a map of the cells seen. */
const DENSE_CELLS = 1 << 16;

/** The total variation distance between the two tables' joint shares of the pair's cells. */
function jointDistance(first: ColumnCells, second: ColumnCells): number {
  const stride = second.count;
  // Real shares count up, synthetic shares down: what is left in each cell is their difference.
  const difference =
    first.count * stride <= DENSE_CELLS ? new Float64Array(first.count * stride) : new Map<number, number>();
  const add = (a: Int32Array, b: Int32Array, sign: number) => {
    const rows = a.length;
    const step = sign / rows;
    if (difference instanceof Map)
      for (let r = 0; r < rows; r++) {
        const k = a[r] * stride + b[r];
        difference.set(k, (difference.get(k) ?? 0) + step);
      }
    else for (let r = 0; r < rows; r++) difference[a[r] * stride + b[r]] += step;
  };
  add(first.real, second.real, 1);
  add(first.synthetic, second.synthetic, -1);
  let sum = 0;
  for (const d of difference.values()) sum += Math.abs(d);
  return sum / 2;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const round = (value: number): number => Number(value.toFixed(2));
