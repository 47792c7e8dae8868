/**
 * The quality score first (SPEC section 5: 0-100, the mean of the column-shape and pair-trend
 * scores, as SDMetrics' overall score), its two parts, and one line on privacy: what a stakeholder
 * reads before any check. The report has the score only from the version that computes it.
 */
import type { EvaluationReport } from '../../metrics/evaluation-report.js';
import { badge, escape, num } from './markup.js';
import { idealOf } from './metric-goals.js';

interface QualityScore {
  readonly score: number;
  readonly column_shapes: number;
  readonly column_pair_trends: number | null;
}

/** The privacy metrics the summary line names, in this order, where the report has them. */
const PRIVACY_METRICS = [
  'dup_rate',
  'mia_auc',
  'dcr_train_share',
  'singling_out_risk',
  'linkability_risk',
  'inference_risk',
];

export const qualityOf = (e: EvaluationReport): QualityScore | null =>
  (e as { quality?: QualityScore | null }).quality ?? null;

export function qualityBlock(e: EvaluationReport): string {
  const q = qualityOf(e);
  if (!q) return '';
  const trends =
    q.column_pair_trends === null ? 'none (one column)' : `<strong>${num(q.column_pair_trends, 1)}</strong>`;
  return `<div class="quality">
<div class="quality-score"><span class="score">${num(q.score, 1)}</span><span class="out-of">/ 100</span><div>quality score</div></div>
<div class="quality-parts"><p>Column shapes <strong>${num(q.column_shapes, 1)}</strong> · column pair trends ${trends} <span class="muted">(the mean of the two; higher is better)</span></p>
<p class="privacy-summary">Privacy: ${privacyLine(e) || 'no privacy metric in this report'}</p></div>
</div>`;
}

/** Each privacy check as pass or fail, and the privacy metrics without a check as their value. */
function privacyLine(e: EvaluationReport): string {
  const checks = new Map(e.checks.map((c) => [c.metric as string, c]));
  const metrics = e.metrics as Record<
    string,
    EvaluationReport['metrics'][keyof EvaluationReport['metrics']] | undefined
  >;
  return PRIVACY_METRICS.flatMap((id) => {
    const check = checks.get(id);
    if (check?.status === 'pass') return [`${badge('pass', id)}`];
    if (check?.status === 'fail') return [`${badge('fail', `${id} ${num(check.value)}`)}`];
    if (check?.status === 'not_evaluated') return [`${badge('fail', `${id} not evaluated`)}`];
    const m = metrics[id];
    if (check || !m || m.value === null) return [];
    const ideal = idealOf(id, m.message);
    return [`${escape(id)} ${num(m.value)}${ideal ? ` (ideal ${escape(ideal)})` : ''}`];
  }).join(' · ');
}
