/**
 * The data behind the report's plots (SPEC section 3's metrics, drawn): per-column distributions,
 * association matrices, distance histograms and the attack's ROC curve. It goes into the JSON
 * report as `figures`, so other tools can draw their own, and the HTML page is drawn from it.
 */
import type { Evaluation } from '../../metrics/evaluate.js';
import type { Table } from '../../table.js';
import { associationFigures, DEFAULT_HEATMAP_COLUMNS, type AssociationFigures } from './associations.js';
import { columnDistributions, type ColumnDistribution } from './column-distributions.js';
import { distanceHistograms, rocCurve, type DistanceHistograms, type RocCurve } from './privacy-figures.js';

export interface Figures {
  readonly columns: ColumnDistribution[];
  readonly associations: AssociationFigures | null;
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
  return {
    columns: columnDistributions(tables.real, tables.synthetic, {
      ks: metrics.ks_mean.perColumn ?? {},
      tvd: metrics.tvd_mean.perColumn ?? {},
    }),
    associations: associationFigures(tables.real, tables.synthetic, {
      maxColumns: options.heatmapColumns ?? DEFAULT_HEATMAP_COLUMNS,
      seed: options.seed,
    }),
    distances_to_train: distances ? await distanceHistograms(distances).catch(() => null) : null,
    membership_roc: distances ? rocCurve(distances, metrics.mia_auc.value) : null,
    // dup_rate is copies / rows, so this recovers the count exactly.
    duplicates: {
      count: dupRate === null ? null : Math.round(dupRate * tables.synthetic.rowCount),
      synthetic_rows: tables.synthetic.rowCount,
    },
  };
}
