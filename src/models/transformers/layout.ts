/**
 * The layout a diffusion model sees: numeric columns as quantile-normal values, categorical
 * columns (and the missing-indicator of a numeric column that has gaps) as categorical spans.
 * Fitted on the training rows only: levels, ranges and rounding come from what was seen there.
 * Serialisable as JSON so a saved model can decode without the data. Under DP the layout comes
 * from public or DP-released statistics instead (layoutFromStatistics), never from the rows.
 */
import type { ColumnStatistics } from '../../core/column-statistics.js';
import { dateStep, decimalStep } from '../../core/schema/steps.js';
import { isNumeric, type Table } from '../../core/table.js';
import { fitQuantiles, type QuantileMap } from './quantile-normal.js';

export interface NumericPart extends QuantileMap {
  readonly column: number;
  readonly min: number;
  readonly max: number;
  /** Sampled values are rounded to a multiple of this (1 for integers, 0.01 for cents, 86400 for dates). */
  readonly step: number;
  /** Index of the span that says whether the value is missing, or -1 when training had no gaps. */
  readonly missingSpan: number;
}

export interface CategoricalSpan {
  /** Table column this span encodes. */
  readonly column: number;
  readonly role: 'category' | 'missing-indicator';
  /** Table level codes of the span's classes; -1 is the missing class. Indicators have [0, 1]. */
  readonly codes: number[];
}

export interface Layout {
  readonly columnCount: number;
  readonly numeric: NumericPart[];
  readonly spans: CategoricalSpan[];
}

export const spanSizes = (layout: Layout): number[] => layout.spans.map((s) => s.codes.length);
export const categoricalWidth = (layout: Layout): number => spanSizes(layout).reduce((a, b) => a + b, 0);

export function fitLayout(table: Table): Layout {
  const numeric: NumericPart[] = [];
  const spans: CategoricalSpan[] = [];
  table.columns.forEach((column, index) => {
    if (isNumeric(column)) {
      const observed = column.values.filter((v) => !Number.isNaN(v));
      const hasGaps = observed.length < column.values.length;
      const missingSpan = hasGaps ? spans.length : -1;
      if (hasGaps) spans.push({ column: index, role: 'missing-indicator', codes: [0, 1] });
      numeric.push({
        column: index,
        ...fitQuantiles(observed),
        min: observed.length ? observed.reduce((a, b) => Math.min(a, b)) : NaN,
        max: observed.length ? observed.reduce((a, b) => Math.max(a, b)) : NaN,
        step: column.kind === 'datetime' ? dateStep(observed) : decimalStep(observed),
        missingSpan,
      });
      return;
    }
    const seen = new Set<number>();
    for (const code of column.codes) seen.add(code);
    const codes = [...seen].sort((a, b) => a - b);
    // The missing class goes last so the span reads like the level list.
    if (codes[0] === -1) codes.push(codes.shift()!);
    spans.push({ column: index, role: 'category', codes });
  });
  return { columnCount: table.columns.length, numeric, spans };
}

/**
 * The layout from column statistics alone (DP training): ranges, quantiles and rounding as stated,
 * every level of the statistics' lists, and a missing indicator (or missing class) wherever the
 * statistics allow gaps, whether or not the rows have any.
 */
export function layoutFromStatistics(statistics: readonly ColumnStatistics[]): Layout {
  const numeric: NumericPart[] = [];
  const spans: CategoricalSpan[] = [];
  statistics.forEach((stats, column) => {
    if (stats.kind === 'numeric') {
      const missingSpan = stats.missing ? spans.length : -1;
      if (stats.missing) spans.push({ column, role: 'missing-indicator', codes: [0, 1] });
      const { quantiles, min, max, step } = stats;
      numeric.push({ column, quantiles: [...quantiles], min, max, step, missingSpan });
      return;
    }
    const codes = stats.levels.map((_, code) => code);
    spans.push({ column, role: 'category', codes: stats.missing ? [...codes, -1] : codes });
  });
  return { columnCount: statistics.length, numeric, spans };
}
