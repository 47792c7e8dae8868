/**
 * The layout CTGAN and TVAE see (mode-specific normalisation, Xu et al. 2019): each numeric or
 * date column as a scalar in [-1, 1] (tanh span) plus a one-hot of its mixture mode (softmax
 * span), each categorical column as a one-hot (softmax span), and a numeric column with gaps as
 * one more softmax span of 2 saying whether the value is missing. Plain data: saved as JSON.
 */
import { drawFromQuantiles, type ColumnStatistics, type NumericStatistics } from '../../core/column-statistics.js';
import { isNumeric, type Table } from '../../core/table.js';
import type { Rng } from '../../core/rng.js';
import { fitBayesianMixture, responsibilities, type MixtureComponent } from './bayesian-mixture.js';
import { dateStep, decimalStep } from '../../core/schema/steps.js';

export type SpanActivation = 'tanh' | 'softmax';
export type SpanRole = 'value' | 'mode' | 'category' | 'missing-indicator';

/** A run of output columns the models treat as one unit: one tanh scalar, or one softmax group. */
export interface OutputSpan {
  /** First output column of the span. */
  readonly start: number;
  readonly size: number;
  readonly activation: SpanActivation;
  /** Table column the span encodes. */
  readonly column: number;
  readonly role: SpanRole;
}

export interface ModeNumeric {
  readonly column: number;
  /** The mixture's kept modes; empty when the column had no values (it then decodes as missing). */
  readonly modes: MixtureComponent[];
  readonly min: number;
  readonly max: number;
  /** Decoded values are rounded to a multiple of this (1 for integers, 86400 for dates; 0: no rounding). */
  readonly step: number;
  /** Indices into the layout's spans; -1 where the column has none. */
  readonly valueSpan: number;
  readonly modeSpan: number;
  readonly missingSpan: number;
}

export interface ModeCategorical {
  readonly column: number;
  /** Table level codes of the span's classes, in span order; -1 is the missing class. */
  readonly codes: number[];
  readonly span: number;
}

export interface ModeLayout {
  readonly columnCount: number;
  /** Output columns per row: the sum of the span sizes. */
  readonly width: number;
  /** In output order. */
  readonly spans: OutputSpan[];
  readonly numeric: ModeNumeric[];
  readonly categorical: ModeCategorical[];
  /** Span indices of the categorical columns: what CTGAN's conditional vector chooses from (as the reference). */
  readonly discreteSpans: number[];
}

/**
 * What to fit on instead of the table (DP training passes noisy statistics here). When given,
 * fitting reads nothing else from the table: `values` feeds a numeric column's mixture, range and
 * step (a NaN among them gives the column a missing indicator), `levels` is a categorical
 * column's class list (-1 for the missing class).
 */
export interface FitSource {
  values(column: number): Float64Array;
  levels(column: number): number[];
  /** A numeric column's range, rounding step and missing indicator, when they are declared rather than read from `values`. */
  numeric?(column: number): { min: number; max: number; step: number; missing: boolean };
}

/**
 * A fit source from DP or public statistics (DP training): each numeric column's mixture fits on
 * values drawn from its quantile function (post-processing), its range, step and missing
 * indicator are the statistics'; categorical classes are the statistics' levels (the table must
 * be recoded onto them first: recodeToStatistics).
 */
export function statisticsSource(statistics: readonly ColumnStatistics[], rng: Rng): FitSource {
  const numeric = (column: number): NumericStatistics => {
    const stats = statistics[column];
    if (stats?.kind !== 'numeric') throw new Error(`column ${column} has no numeric statistics`);
    return stats;
  };
  return {
    values: (column) => drawFromQuantiles(numeric(column).quantiles, MIXTURE_DRAWS, rng),
    levels: (column) => {
      const stats = statistics[column];
      if (stats?.kind !== 'categorical') throw new Error(`column ${column} has no categorical statistics`);
      return [...stats.levels.map((_, code) => code), ...(stats.missing ? [-1] : [])];
    },
    numeric: (column) => {
      const { min, max, step, missing } = numeric(column);
      return { min, max, step, missing };
    },
  };
}

/** Values drawn from a column's DP quantiles to fit its mixture on (the mixture fits on at most this many anyway). */
const MIXTURE_DRAWS = 10000;

export function fitModeLayout(table: Table, rng: Rng, source?: FitSource): ModeLayout {
  const spans: OutputSpan[] = [];
  const numeric: ModeNumeric[] = [];
  const categorical: ModeCategorical[] = [];
  let width = 0;
  const addSpan = (column: number, role: SpanRole, size: number, activation: SpanActivation): number => {
    spans.push({ start: width, size, activation, column, role });
    width += size;
    return spans.length - 1;
  };
  table.columns.forEach((column, index) => {
    if (isNumeric(column)) {
      const all = source ? source.values(index) : column.values;
      const observed = all.filter((v) => !Number.isNaN(v));
      const modes = narrowModes(fitBayesianMixture(observed, rng), observed);
      const hasValues = modes.length > 0;
      const declared = source?.numeric?.(index);
      numeric.push({
        column: index,
        modes,
        min: declared?.min ?? (hasValues ? observed.reduce((a, b) => Math.min(a, b)) : 0),
        max: declared?.max ?? (hasValues ? observed.reduce((a, b) => Math.max(a, b)) : 0),
        step: declared?.step ?? (column.kind === 'datetime' ? dateStep(observed) : decimalStep(observed)),
        valueSpan: hasValues ? addSpan(index, 'value', 1, 'tanh') : -1,
        modeSpan: hasValues ? addSpan(index, 'mode', modes.length, 'softmax') : -1,
        // A column that is always missing needs no indicator: it decodes as missing anyway.
        missingSpan:
          hasValues && (declared ? declared.missing : observed.length < all.length)
            ? addSpan(index, 'missing-indicator', 2, 'softmax')
            : -1,
      });
      return;
    }
    const codes = source ? source.levels(index).slice() : seenCodes(column.codes);
    categorical.push({ column: index, codes, span: addSpan(index, 'category', codes.length, 'softmax') });
  });
  return {
    columnCount: table.columns.length,
    width,
    spans,
    numeric,
    categorical,
    discreteSpans: categorical.map((c) => c.span),
  };
}

/**
 * Each mode's spread as its own values show it: the responsibility-weighted sd around the mode's
 * mean, where the mixture's posterior sd carries the whole column's variance through its prior
 * (a spike of zeros in a column reaching 99,999 gets an sd near 70, so decoded zeros scatter and
 * TVAE's sampling noise moves them off zero). Floored at a thousandth of the posterior sd, so a
 * spike keeps a scale to normalise by. Responsibilities keep the mixture's own terms.
 */
function narrowModes(modes: MixtureComponent[], values: Float64Array): MixtureComponent[] {
  if (modes.length === 0) return modes;
  const weight = new Float64Array(modes.length);
  const squares = new Float64Array(modes.length);
  const resp = new Float64Array(modes.length);
  for (const value of values) {
    responsibilities(modes, value, resp);
    for (let k = 0; k < modes.length; k++) {
      weight[k] += resp[k];
      squares[k] += resp[k] * (value - modes[k].mean) ** 2;
    }
  }
  return modes.map((mode, k) => {
    const sd = weight[k] > 0 ? Math.sqrt(squares[k] / weight[k]) : mode.sd;
    return { ...mode, sd: Math.min(mode.sd, Math.max(sd, mode.sd * 1e-3)) };
  });
}

/** The codes that occur, ascending, with the missing class (-1) last as in TabDDPM's layout. */
function seenCodes(codes: Int32Array): number[] {
  const seen = [...new Set(codes)].sort((a, b) => a - b);
  if (seen[0] === -1) seen.push(seen.shift()!);
  return seen;
}
