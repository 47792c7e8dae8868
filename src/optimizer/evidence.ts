/**
 * What a run shows beyond its final metrics (issue 28 item 11), for the rules to read: the
 * checkpoint curve, each column's statistic and shape, and the columns the detector used. A run
 * described by its figures alone (flags, or a report without them) has none of it.
 */
import type { MetricValues } from './failures.js';

/** One early-stopping checkpoint: its epoch and its metrics on a small sample. */
export interface CheckpointPoint {
  readonly epoch: number;
  readonly metrics: MetricValues;
}

/** A value a column's real rows hold often (over 5 %), with its share in each table. */
export interface PointMassShare {
  readonly value: number;
  readonly real: number;
  readonly synthetic: number;
}

export interface ColumnFacts {
  readonly name: string;
  /** The schema's kind: numeric, datetime or categorical (unknown where the report has no schema). */
  readonly kind: string;
  /** The column's own KS (numeric, dates) or TVD (categorical), where measured. */
  readonly statistic: 'ks' | 'tvd' | null;
  readonly value: number | null;
  /** Levels of a categorical column. */
  readonly categories: number | null;
  /** Rows without a value. */
  readonly missing: number;
  readonly pointMasses: readonly PointMassShare[];
  /** Skewness of the real values, from the report's histogram; null without one. */
  readonly skewness: number | null;
}

export interface Importance {
  /** The detector's feature: a column name. */
  readonly feature: string;
  /** Share of the reported split gain. */
  readonly share: number;
}

export interface RunEvidence {
  /** In epoch order. */
  readonly checkpoints: readonly CheckpointPoint[];
  /** In table order. */
  readonly columns: readonly ColumnFacts[];
  /** Largest first. */
  readonly importances: readonly Importance[];
}

export const NO_EVIDENCE: RunEvidence = { checkpoints: [], columns: [], importances: [] };

/**
 * The encoded width a layout gives these columns (numeric values, one class per level, a missing
 * class or indicator where values are missing), as suggest measures it on a table; null without a schema.
 */
export function encodedWidth(columns: readonly ColumnFacts[]): number | null {
  if (!columns.length || columns.some((c) => c.kind === 'unknown')) return null;
  return columns.reduce(
    (width, c) =>
      width + (c.kind === 'categorical' ? (c.categories ?? 1) + (c.missing ? 1 : 0) : 1 + (c.missing ? 2 : 0)),
    0,
  );
}
