/** Each column's shape score as SDMetrics reports it (1 - KS, or 1 - TVD for a categorical column), from the report's per-column values. */
import type { EvaluationReport } from '../../metrics/evaluation-report.js';

export interface ColumnScore {
  readonly column: string;
  readonly statistic: 'KS' | 'TVD';
  readonly value: number;
  /** 1 - value: 1 is the same distribution. */
  readonly score: number;
  /** 1 - the threshold of the mean check (ks_mean, tvd_mean); null when that check is off. */
  readonly threshold: number | null;
}

/** Every measured column, worst first (ties in table order). */
export function columnScores(e: Pick<EvaluationReport, 'per_column' | 'thresholds'>): ColumnScore[] {
  const of = (statistic: 'KS' | 'TVD', values: Record<string, number | null>, threshold: number | undefined) =>
    Object.entries(values)
      .filter((entry): entry is [string, number] => entry[1] !== null)
      .map(([column, value]) => ({
        column,
        statistic,
        value,
        score: 1 - value,
        threshold: threshold === undefined ? null : 1 - threshold,
      }));
  const all = [
    ...of('KS', e.per_column.ks, e.thresholds.ks_mean),
    ...of('TVD', e.per_column.tvd, e.thresholds.tvd_mean),
  ];
  return all
    .map((s, k) => ({ s, k }))
    .sort((a, b) => a.s.score - b.s.score || a.k - b.k)
    .map(({ s }) => s);
}
