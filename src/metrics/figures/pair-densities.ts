/**
 * The pairs that add most to corr_delta, drawn: the two columns' joint shares, real beside
 * synthetic (numbers and dates in equal-width bins over both tables' range, categories as they are
 * with the rarest summed as "other"), so a reader sees which relationship was lost, not only that
 * its coefficient moved. Cells, never rows.
 */
import { isNumeric, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../../core/table.js';
import type { AssociationMeasure, PairContribution } from './associations.js';
import { binEdges, binOf } from './column-distributions.js';

/** Pairs drawn: the first of the top pairs. */
export const PAIR_PLOTS = 3;
/** Bins per numeric axis (a short integer range gets one per integer). */
export const PAIR_BINS = 12;
/** Categories per categorical axis; the rest share one "other" cell. */
export const PAIR_CATEGORIES = 10;

export type PairAxis =
  | { readonly column: string; readonly kind: 'numeric' | 'datetime'; readonly edges: number[] }
  | {
      readonly column: string;
      readonly kind: 'categorical';
      /** Most frequent over both tables first. */
      readonly categories: string[];
      /** Categories summed in a last "other" cell; 0: no such cell. */
      readonly other: number;
    };

export interface PairDensity {
  readonly columns: [string, string];
  readonly measure: AssociationMeasure;
  readonly x: PairAxis;
  readonly y: PairAxis;
  /** Share of the rows where both values are present, per cell, [x cell][y cell]; each table's cells add up to 1. */
  readonly real: number[][];
  readonly synthetic: number[][];
}

/** A column pair's cells: the axis as the report gives it, and each row's cell (-1: missing). */
interface Axis {
  readonly axis: PairAxis;
  readonly cells: number;
  cell(column: Column, row: number): number;
}

export function pairDensities(real: Table, synthetic: Table, pairs: readonly PairContribution[]): PairDensity[] {
  const index = new Map(real.columns.map((c, i) => [c.name, i]));
  return pairs.slice(0, PAIR_PLOTS).map((p) => {
    const [i, j] = p.columns.map((name) => index.get(name)!);
    const x = axisOf(real.columns[i], synthetic.columns[i]);
    const y = axisOf(real.columns[j], synthetic.columns[j]);
    const shares = (t: Table) => density(t.columns[i], t.columns[j], t.rowCount, x, y);
    return {
      columns: p.columns,
      measure: p.measure,
      x: x.axis,
      y: y.axis,
      real: shares(real),
      synthetic: shares(synthetic),
    };
  });
}

function axisOf(real: Column, synthetic: Column): Axis {
  if (isNumeric(real)) {
    const edges = binEdges([real.values, (synthetic as NumericColumn).values], PAIR_BINS);
    return {
      axis: { column: real.name, kind: real.kind, edges: edges.map(round) },
      cells: Math.max(0, edges.length - 1),
      cell: (column, row) => {
        const v = (column as NumericColumn).values[row];
        return Number.isNaN(v) || edges.length < 2 ? -1 : binOf(v, edges);
      },
    };
  }
  return categoricalAxis(real, synthetic as CategoricalColumn);
}

function categoricalAxis(real: CategoricalColumn, synthetic: CategoricalColumn): Axis {
  const counts = new Float64Array(real.levels.length);
  for (const column of [real, synthetic])
    for (const c of column.codes) if (c >= 0) counts[c] += 1 / column.codes.length;
  const order = Array.from(counts.keys())
    .filter((k) => counts[k] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b);
  const shown = order.slice(0, PAIR_CATEGORIES);
  const rank = new Map(shown.map((code, k) => [code, k]));
  const other = order.length - shown.length;
  return {
    axis: { column: real.name, kind: 'categorical', categories: shown.map((k) => real.levels[k]), other },
    cells: shown.length + (other ? 1 : 0),
    cell: (column, row) => {
      const code = (column as CategoricalColumn).codes[row];
      return code < 0 ? -1 : (rank.get(code) ?? shown.length);
    },
  };
}

function density(a: Column, b: Column, rows: number, x: Axis, y: Axis): number[][] {
  const counts = Array.from({ length: x.cells }, () => new Array<number>(y.cells).fill(0));
  let present = 0;
  for (let r = 0; r < rows; r++) {
    const [i, j] = [x.cell(a, r), y.cell(b, r)];
    if (i < 0 || j < 0) continue;
    counts[i][j]++;
    present++;
  }
  return counts.map((column) => column.map((n) => (present ? round(n / present) : 0)));
}

const round = (x: number): number => Number(x.toPrecision(6));
