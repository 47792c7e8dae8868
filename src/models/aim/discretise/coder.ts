/**
 * How one column maps to the bins AIM models and back: its coder, released by discretisation and
 * saved with the model. Categorical columns: one bin per level, then a missing bin. Numeric and
 * date columns: first the point bins (heavy values, each an exact value of its own, or every value
 * of a whole-number column with no more values than bins), then the range bins between cuts,
 * then a missing bin; a range bin decodes through the fine grid's leaf weights.
 */
import type { ColumnKind } from '../../../core/table.js';
import { roundInRange } from '../../transformers/codec.js';

export interface CategoricalCoder {
  readonly kind: 'categorical';
  readonly name: string;
  readonly levels: string[];
  /** Whether a missing value has a bin of its own (the last). */
  readonly missing: boolean;
}

/** Leaves [start + j width, start + (j + 1) width), j < count: the grid of the fine histogram. */
export interface FineGrid {
  readonly start: number;
  readonly width: number;
  readonly count: number;
}

export interface NumericCoder {
  readonly kind: 'numeric';
  readonly name: string;
  readonly columnKind: Exclude<ColumnKind, 'categorical'>;
  readonly min: number;
  readonly max: number;
  /** Values are multiples of this (0: any value). */
  readonly step: number;
  readonly missing: boolean;
  /** Point bins, ascending: each decodes to exactly its value. */
  readonly points: number[];
  /** Interior cuts of the range bins, ascending; null when the point bins enumerate every value. */
  readonly cuts: number[] | null;
  readonly grid: FineGrid;
  /** Per leaf of the grid, the weight a range bin decodes with (heavy values' mass removed). */
  readonly weights: number[];
  /** Per leaf, the weight a range bin with no `weights` decodes with (sparse tails). */
  readonly tails: number[];
}

export type ColumnCoder = CategoricalCoder | NumericCoder;

/** Bins of the column: its size in the model's domain. */
export function binCount(coder: ColumnCoder): number {
  if (coder.kind === 'categorical') return coder.levels.length + (coder.missing ? 1 : 0);
  return coder.points.length + (coder.cuts ? coder.cuts.length + 1 : 0) + (coder.missing ? 1 : 0);
}

/** A value as the coder sees it: clamped to [min, max] and on its step grid. */
export const canonical = (value: number, step: number, min: number, max: number): number =>
  roundInRange(Math.min(Math.max(value, min), max), step, min, max);

export const leafOf = (grid: FineGrid, value: number): number =>
  Math.min(grid.count - 1, Math.max(0, Math.floor((value - grid.start) / grid.width)));

/**
 * The fine grid of a column: 2^10 equal leaves over [min, max], or for a stepped column leaves
 * of whole steps centred on its grid values, so that no leaf splits a value.
 */
export function fineGrid(min: number, max: number, step: number, leaves: number): FineGrid {
  if (step > 0) {
    const first = Math.ceil(min / step - 1e-9);
    const values = Math.floor(max / step + 1e-9) - first + 1;
    if (values >= 1) {
      const per = Math.ceil(values / leaves);
      return { start: (first - 0.5) * step, width: per * step, count: Math.ceil(values / per) };
    }
  }
  const width = max > min ? (max - min) / leaves : 1;
  return { start: min, width, count: max > min ? leaves : 1 };
}

/** The values of a stepped column between min and max, or null when there are more than `limit`. */
export function enumerate(min: number, max: number, step: number, limit: number): number[] | null {
  if (!(step > 0)) return null;
  const first = Math.ceil(min / step - 1e-9);
  const count = Math.floor(max / step + 1e-9) - first + 1;
  if (count < 1 || count > limit) return null;
  return Array.from({ length: count }, (_, k) => roundInRange((first + k) * step, step, min, max));
}
