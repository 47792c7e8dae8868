/**
 * What a model may know of a table's columns without reading its rows: statistics the user
 * declared public or released under differential privacy (src/privacy/preprocessing/). A model
 * given them fits its transform (quantiles, ranges, category lists, missing indicators) from these
 * alone, so nothing outside the DP-SGD gradients is learnt from the rows.
 */
import type { Rng } from './rng.js';
import type { CategoricalColumn, Column, Table } from './table.js';

export interface NumericStatistics {
  readonly kind: 'numeric';
  readonly name: string;
  /** Decoding clamps to these bounds. */
  readonly min: number;
  readonly max: number;
  /** Values at evenly spaced probabilities 0 .. 1 (first = min, last = max), non-decreasing. */
  readonly quantiles: number[];
  /** Sampled values are rounded to a multiple of this (0: no rounding). */
  readonly step: number;
  /** The model keeps a missing indicator for the column. */
  readonly missing: boolean;
}

export interface CategoricalStatistics {
  readonly kind: 'categorical';
  readonly name: string;
  /** The levels the model may know, the placeholder (if any) last. */
  readonly levels: string[];
  /** The level that stands for every category not in the list (unreleased, or missing when `missing` is false). */
  readonly placeholder: string | null;
  readonly missing: boolean;
  /**
   * Per level, its noisy count where the list was estimated (the stability histogram's own output;
   * 0 for the placeholder, whose rows nothing counted); absent for a declared list.
   */
  readonly counts?: number[];
}

export type ColumnStatistics = NumericStatistics | CategoricalStatistics;

/**
 * The table re-coded onto the statistics' level lists: a category not in the list (and a missing
 * value where the statistics allow none) becomes the placeholder. Numeric columns are unchanged.
 */
export function recodeToStatistics(table: Table, statistics: readonly ColumnStatistics[]): Table {
  const columns = table.columns.map((column, i): Column => {
    const stats = statistics[i];
    if (column.kind !== 'categorical' || stats?.kind !== 'categorical') return column;
    const index = new Map(stats.levels.map((level, code) => [level, code]));
    const fallback = stats.placeholder === null ? -1 : index.get(stats.placeholder)!;
    const mapping = column.levels.map((level) => index.get(level) ?? fallback);
    const codes = column.codes.map((c) => (c < 0 ? (stats.missing ? -1 : fallback) : mapping[c]));
    // A copy: whoever aligns other rows onto this table may append to its list, never to the statistics'.
    return { name: column.name, kind: 'categorical', codes, levels: [...stats.levels] } satisfies CategoricalColumn;
  });
  return { rowCount: table.rowCount, columns };
}

/**
 * `count` values drawn from the quantile function (inverse-CDF sampling with linear interpolation
 * between the quantiles): post-processing of the statistics, for a transform that fits on values
 * (a mixture) rather than on quantiles.
 */
export function drawFromQuantiles(quantiles: readonly number[], count: number, rng: Rng): Float64Array {
  const out = new Float64Array(count);
  const m = quantiles.length;
  for (let i = 0; i < count; i++) {
    if (m === 1) {
      out[i] = quantiles[0];
      continue;
    }
    const position = rng.next() * (m - 1);
    const lo = Math.min(Math.floor(position), m - 2);
    out[i] = quantiles[lo] + (quantiles[lo + 1] - quantiles[lo]) * (position - lo);
  }
  return out;
}
