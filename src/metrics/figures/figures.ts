/**
 * The data behind the report's plots (SPEC section 3's metrics, drawn): per-column distributions,
 * association matrices with the top pairs' joint shares, distance histograms and the attack's ROC curve. It goes into the JSON
 * report as `figures`, so other tools can draw their own, and the HTML page is drawn from it.
 */
import type { Evaluation } from '../evaluate.js';
import type { Table } from '../../core/table.js';
import { associationFigures, DEFAULT_HEATMAP_COLUMNS, type AssociationFigures } from './associations.js';
import { columnDistributions, type ColumnDistribution } from './column-distributions.js';
import { pairDensities, type PairDensity } from './pair-densities.js';
import { distanceHistograms, rocCurve, type DistanceHistograms, type RocCurve } from './privacy-figures.js';

/** Column plots the report keeps: the largest KS or TVD first; past this a wide table's report is mostly plots. */
export const FIGURE_COLUMNS = 200;

export interface Figures {
  /** The columns' distributions, in table order: all of them, or the FIGURE_COLUMNS that differ most. */
  readonly columns: ColumnDistribution[];
  /** Columns whose distribution was left out (they differ least). */
  readonly columns_left_out: number;
  readonly associations: AssociationFigures | null;
  /** The first of the associations' top pairs as joint shares, real beside synthetic. */
  readonly pair_densities: PairDensity[];
  /** Null when the distance search did not run or failed (its metrics say why). */
  readonly distances_to_train: DistanceHistograms | null;
  readonly membership_roc: RocCurve | null;
  readonly duplicates: { readonly count: number | null; readonly synthetic_rows: number };
}

export interface FigureTables {
  /** R: the training rows (the REAL file without a split). */
  readonly real: Table;
  readonly synthetic: Table;
}

export interface FigureOptions {
  /** Heatmap columns; above it, those with the largest association differences. */
  readonly heatmapColumns?: number;
  readonly seed: number;
}

export async function buildFigures(
  evaluation: Evaluation,
  tables: FigureTables,
  options: FigureOptions,
): Promise<Figures> {
  const { metrics, distances } = evaluation;
  const dupRate = metrics.dup_rate.value;
  const columns = worstColumns(tables.real, {
    ...(metrics.ks_mean.perColumn ?? {}),
    ...(metrics.tvd_mean.perColumn ?? {}),
  });
  const associations = associationFigures(tables.real, tables.synthetic, {
    maxColumns: options.heatmapColumns ?? DEFAULT_HEATMAP_COLUMNS,
    seed: options.seed,
  });
  return {
    columns: columnDistributions(takeColumns(tables.real, columns), takeColumns(tables.synthetic, columns), {
      ks: metrics.ks_mean.perColumn ?? {},
      tvd: metrics.tvd_mean.perColumn ?? {},
    }),
    columns_left_out: tables.real.columns.length - columns.length,
    associations,
    pair_densities: pairDensities(tables.real, tables.synthetic, associations?.top_pairs ?? []),
    distances_to_train: distances ? await distanceHistograms(distances).catch(() => null) : null,
    membership_roc: distances ? rocCurve(distances, metrics.mia_auc.value) : null,
    // dup_rate is copies / rows, so this recovers the count exactly.
    duplicates: {
      count: dupRate === null ? null : Math.round(dupRate * tables.synthetic.rowCount),
      synthetic_rows: tables.synthetic.rowCount,
    },
  };
}

/** The indices of the FIGURE_COLUMNS columns with the largest statistic (all when there are fewer), in table order. */
function worstColumns(table: Table, statistics: Record<string, number | null>): number[] {
  const all = table.columns.map((_, i) => i);
  if (all.length <= FIGURE_COLUMNS) return all;
  const value = (i: number) => statistics[table.columns[i].name] ?? -1;
  return all
    .sort((a, b) => value(b) - value(a) || a - b)
    .slice(0, FIGURE_COLUMNS)
    .sort((a, b) => a - b);
}

const takeColumns = (table: Table, indices: readonly number[]): Table =>
  indices.length === table.columns.length ? table : { ...table, columns: indices.map((i) => table.columns[i]) };
