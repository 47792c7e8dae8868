/**
 * A table's columns as AIM's discrete attributes. Under DP every bound, step, level list and
 * missing flag comes from the statistics (declared public or DP-released by preprocessing), and
 * whatever else shapes a bin (heavy values, cut points, decode weights) from the mechanisms, at
 * the budget's heavy and fine shares split evenly over the columns that need them. Without DP
 * the same code runs on exact counts, with the bounds, steps and levels read from the rows.
 */
import type { ColumnStatistics } from '../../../core/column-statistics.js';
import { discreteGaussianThreshold } from '../../../privacy/discrete-gaussian.js';
import { isCategorical, type Column, type NumericColumn, type Table } from '../../../core/table.js';
import { dateStep, decimalStep } from '../../../core/schema/steps.js';
import type { AimBudget } from '../budget.js';
import type { Mechanisms } from '../mechanisms.js';
import { binCount, type ColumnCoder } from './coder.js';
import { encodeTable } from './encode.js';
import {
  countValues,
  enumerates,
  numericCoder,
  type NumericCounts,
  type NumericNoise,
  type NumericSpec,
} from './numeric-coder.js';

/** Share of a fine histogram's rho on its groups; the leaves get the rest. */
const GROUP_SHARE = 0.5;

/** How one column's bins were released, for the report. */
export interface ColumnRelease {
  readonly column: string;
  readonly bins: number;
  readonly how: string;
  readonly rho: number;
}

export interface Discretised {
  readonly coders: ColumnCoder[];
  /** Per column, each row's bin. */
  readonly codes: Int32Array[];
  /** Per column, its number of bins. */
  readonly sizes: number[];
  readonly releases: ColumnRelease[];
}

export interface DiscretiseOptions {
  readonly bins: number;
  readonly mechanisms: Mechanisms;
  /** Per column, public or DP-released statistics; absent, bounds, steps and levels come from the rows. */
  readonly statistics?: readonly ColumnStatistics[];
  /** Under DP, the budget whose heavy and fine shares the numeric columns spend; absent, exact counts. */
  readonly budget?: AimBudget;
  /** Under DP, the noise the rounds start at, which caps the bins (numeric-coder.ts supportedBins). */
  readonly roundSigma?: number;
}

const ZERO_NOISE: NumericNoise = { groupSigma: 0, leafSigma: 0, heavySigma: 0, heavyThreshold: 0, roundSigma: 0 };

export function discretise(table: Table, options: DiscretiseOptions): Discretised {
  const specs = columnSpecs(table, options.statistics, options.bins);
  specs.forEach((spec, j) => {
    const column = table.columns[j];
    if (spec.kind === 'numeric' && isCategorical(column))
      throw new Error(`column ${column.name} is categorical in the table`);
  });
  const { coders, releases } = releaseCoders(
    table.columns.map((c) => c.name),
    specs,
    (j) => countValues(specs[j] as NumericSpec, (table.columns[j] as NumericColumn).values),
    options,
  );
  return { coders, codes: encodeTable(table, coders), sizes: coders.map(binCount), releases };
}

/**
 * Each column's coder from its spec, with the numeric columns' counts from `counts` (read only
 * for columns whose bins need a release): rows in memory or a statistics query alike.
 */
export function releaseCoders(
  names: readonly string[],
  specs: readonly Spec[],
  counts: (column: number) => NumericCounts,
  options: DiscretiseOptions,
): { coders: ColumnCoder[]; releases: ColumnRelease[] } {
  const { budget } = options;
  const binned = binnedColumns(specs);
  const noise = budget ? numericNoise(budget, binned, options.roundSigma ?? 0) : ZERO_NOISE;
  const perColumnRho = budget && binned ? (budget.heavyRho + budget.fineRho) / binned : 0;
  const releases: ColumnRelease[] = [];
  const coders = specs.map((spec, j): ColumnCoder => {
    const name = names[j];
    if (spec.kind === 'categorical') {
      const coder = { kind: 'categorical' as const, name, levels: spec.levels, missing: spec.missing };
      releases.push({ column: name, bins: binCount(coder), how: 'one bin per level', rho: 0 });
      return coder;
    }
    const { coder, measured } = numericCoder(spec, () => counts(j), options.mechanisms, noise);
    releases.push({
      column: name,
      bins: binCount(coder),
      how: measured
        ? `${coder.points.length} heavy value(s) released, ${(coder.cuts?.length ?? 0) + 1} range bin(s) cut from a noisy histogram of ${measured.groups} groups and ${measured.chunks} chunks`
        : `one bin per value (${coder.points.length} values of step ${coder.step})`,
      rho: measured ? perColumnRho : 0,
    });
    return coder;
  });
  return { coders, releases };
}

/** Numeric columns whose bins need releases (heavy values, a fine histogram): what the budget plans for. */
export const binnedColumns = (specs: readonly Spec[]): number =>
  specs.filter((s) => s.kind === 'numeric' && !enumerates(s)).length;

/** Each column's spec, from the statistics or (without them) the rows. */
export function columnSpecs(table: Table, statistics: readonly ColumnStatistics[] | undefined, bins: number): Spec[] {
  return table.columns.map((column, j) =>
    statistics ? specFromStatistics(statistics[j], column, bins) : specFromRows(column, bins),
  );
}

export type Spec =
  ({ readonly kind: 'numeric' } & NumericSpec) | { kind: 'categorical'; levels: string[]; missing: boolean };

function specFromStatistics(stats: ColumnStatistics, column: Column, bins: number): Spec {
  if (stats.kind === 'categorical') return { kind: 'categorical', levels: [...stats.levels], missing: stats.missing };
  if (isCategorical(column)) throw new Error(`column ${column.name} has numeric statistics but categorical values`);
  const { min, max, step, missing } = stats;
  return { kind: 'numeric', name: column.name, columnKind: column.kind, min, max, step, missing, bins };
}

function specFromRows(column: Column, bins: number): Spec {
  if (isCategorical(column))
    return { kind: 'categorical', levels: [...column.levels], missing: column.codes.includes(-1) };
  const present = column.values.filter((v) => !Number.isNaN(v));
  const min = present.length ? present.reduce((a, b) => Math.min(a, b)) : 0;
  const max = present.length ? present.reduce((a, b) => Math.max(a, b)) : 0;
  const step = column.kind === 'datetime' ? dateStep(present) : decimalStep(present);
  const missing = present.length < column.values.length;
  return { kind: 'numeric', name: column.name, columnKind: column.kind, min, max, step, missing, bins };
}

/**
 * Each binned column's share: its fine histogram's two levels are Gaussian measurements, and its
 * heavy values a thresholded one whose threshold a value held by one row clears with probability
 * thresholdDelta / binned (so that one row's unique values in every column together stay within
 * thresholdDelta): the noise is the discrete Gaussian, so the threshold is the smallest whole m whose
 * tail P(Z >= m) is provably at most that (discreteGaussianThreshold), not the continuous quantile.
 */
function numericNoise(budget: AimBudget, binned: number, roundSigma: number): NumericNoise {
  if (binned === 0) return ZERO_NOISE;
  const fine = budget.fineRho / binned;
  const heavy = budget.heavyRho / binned;
  const sigma = (rho: number) => Math.sqrt(1 / (2 * rho));
  const heavySigma = sigma(heavy);
  return {
    groupSigma: sigma(fine * GROUP_SHARE),
    leafSigma: sigma(fine * (1 - GROUP_SHARE)),
    heavySigma,
    heavyThreshold: discreteGaussianThreshold(heavySigma, budget.thresholdDelta / binned),
    roundSigma,
  };
}
