/**
 * Real against synthetic, column by column, as the report plots them: shared-edge histograms for
 * numeric and date columns (point masses and the missing share as bars of their own, and the two
 * ECDFs that KS compares), the most frequent categories plus "other" for categorical ones. Every
 * count is a share of its table's rows, so tables of different sizes compare bar for bar.
 */
import { isCategorical, type CategoricalColumn, type NumericColumn, type Table } from '../../core/table.js';
import { ecdfFigure, type EcdfFigure } from './ecdf.js';
import { pointMasses, withoutPointMasses, type PointMass } from './point-masses.js';

/** Bins of a numeric histogram; integer columns with a short range get one bin per integer instead. */
export const HISTOGRAM_BINS = 30;
/** Categories drawn one by one; the rest are summed as "other". */
export const TOP_CATEGORIES = 12;

export interface RealSynthetic {
  readonly real: number;
  readonly synthetic: number;
}

export interface NumericDistribution {
  readonly column: string;
  readonly kind: 'numeric' | 'datetime';
  readonly statistic: 'ks';
  readonly value: number | null;
  /** Bin edges (dates in seconds since the epoch), one more than the bins; empty when no value is left to bin. */
  readonly edges: number[];
  /** Share of all rows in each bin; the point masses' rows are in no bin. */
  readonly real: number[];
  readonly synthetic: number[];
  /**
   * Values held by more than 5 % of either table's rows, each a bar of its own; none for a short
   * integer range, whose bins already hold one value each.
   */
  readonly point_masses: PointMass[];
  readonly missing: RealSynthetic;
  /** The ECDFs KS compares and where they are furthest apart; null when either table has no value. */
  readonly ecdf: EcdfFigure | null;
}

export interface CategoricalDistribution {
  readonly column: string;
  readonly kind: 'categorical';
  readonly statistic: 'tvd';
  readonly value: number | null;
  /** The most frequent categories over both tables, most frequent first. */
  readonly categories: string[];
  readonly real: number[];
  readonly synthetic: number[];
  /** The remaining categories, summed; null when every category is listed. */
  readonly other: (RealSynthetic & { readonly categories: number }) | null;
  readonly missing: RealSynthetic;
}

export type ColumnDistribution = NumericDistribution | CategoricalDistribution;

export function columnDistributions(
  real: Table,
  synthetic: Table,
  statistics: { ks: Record<string, number | null>; tvd: Record<string, number | null> },
): ColumnDistribution[] {
  return real.columns.map((column, i) =>
    isCategorical(column)
      ? categorical(column, synthetic.columns[i] as CategoricalColumn, statistics.tvd[column.name] ?? null)
      : numeric(column, synthetic.columns[i] as NumericColumn, statistics.ks[column.name] ?? null),
  );
}

function numeric(real: NumericColumn, synthetic: NumericColumn, value: number | null): NumericDistribution {
  const range = valueRange([real.values, synthetic.values]);
  const masses = range && !oneBinPerValue(range, HISTOGRAM_BINS) ? pointMasses(real.values, synthetic.values) : [];
  const [r, s] = [withoutPointMasses(real.values, masses), withoutPointMasses(synthetic.values, masses)];
  const edges = binEdges([r, s]);
  return {
    column: real.name,
    kind: real.kind,
    statistic: 'ks',
    value,
    edges,
    real: histogram(r, edges),
    synthetic: histogram(s, edges),
    point_masses: masses,
    missing: { real: round(missingShare(real.values)), synthetic: round(missingShare(synthetic.values)) },
    ecdf: ecdfFigure(real.values, synthetic.values),
  };
}

interface ValueRange {
  readonly low: number;
  readonly high: number;
  readonly integers: boolean;
}

/** The joint range of present values; null when there is none. */
function valueRange(sets: readonly ArrayLike<number>[]): ValueRange | null {
  let low = Infinity;
  let high = -Infinity;
  let integers = true;
  for (const values of sets) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
      if (integers && !Number.isInteger(v)) integers = false;
    }
  }
  return low > high ? null : { low, high, integers };
}

/** Integers over a range shorter than the bins: one bin per integer. */
const oneBinPerValue = (r: ValueRange, bins: number): boolean => r.integers && r.high - r.low < bins;

/** Edges shared by both tables over their joint range of present values. */
export function binEdges(sets: readonly ArrayLike<number>[], bins = HISTOGRAM_BINS): number[] {
  const range = valueRange(sets);
  if (!range) return [];
  const { low, high } = range;
  if (oneBinPerValue(range, bins)) return Array.from({ length: high - low + 2 }, (_, k) => low - 0.5 + k);
  if (low === high) return [low - 0.5, high + 0.5];
  const width = (high - low) / bins;
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? high : low + k * width));
}

/** Share of all rows (missing included) in each bin; bins are [a, b), the last one [a, b]. */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = Math.max(0, edges.length - 1);
  const counts = new Array<number>(bins).fill(0);
  if (bins === 0 || values.length === 0) return counts;
  const [low, high] = [edges[0], edges[bins]];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v) || v < low || v > high) continue;
    counts[binOf(v, edges)]++;
  }
  return counts.map((c) => round(c / values.length));
}

/** The bin of a value inside the edges: [a, b), the last one [a, b]. */
export function binOf(v: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function missingShare(values: Float64Array): number {
  if (values.length === 0) return 0;
  let missing = 0;
  for (const v of values) if (Number.isNaN(v)) missing++;
  return missing / values.length;
}

function categorical(
  real: CategoricalColumn,
  synthetic: CategoricalColumn,
  value: number | null,
): CategoricalDistribution {
  const levels = real.levels.length;
  const shares = (codes: Int32Array) => {
    const counts = new Float64Array(levels + 1);
    for (const c of codes) counts[c + 1]++;
    return Array.from(counts, (n) => (codes.length ? round(n / codes.length) : 0));
  };
  const r = shares(real.codes);
  const s = shares(synthetic.codes);
  // Most frequent over both tables, so a category the synthesizer over-produces is drawn too.
  const order = Array.from({ length: levels }, (_, k) => k)
    .filter((k) => r[k + 1] + s[k + 1] > 0)
    .sort((a, b) => r[b + 1] + s[b + 1] - (r[a + 1] + s[a + 1]) || a - b);
  const shown = order.slice(0, TOP_CATEGORIES);
  const rest = order.slice(TOP_CATEGORIES);
  const sum = (shares: number[]) => rest.reduce((total, k) => total + shares[k + 1], 0);
  return {
    column: real.name,
    kind: 'categorical',
    statistic: 'tvd',
    value,
    categories: shown.map((k) => real.levels[k]),
    real: shown.map((k) => r[k + 1]),
    synthetic: shown.map((k) => s[k + 1]),
    other: rest.length ? { real: round(sum(r)), synthetic: round(sum(s)), categories: rest.length } : null,
    missing: { real: r[0], synthetic: s[0] },
  };
}

const round = (x: number): number => Number(x.toPrecision(6));
