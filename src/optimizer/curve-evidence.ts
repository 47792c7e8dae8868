/** The checkpoint curves as evidence: each failing metric's trend, and whether the run as a whole stopped improving. */
import { curveTrend, describeTrend, type CurveTrend } from './checkpoint-curve.js';
import { findFailures, UTILITY_FAILURES, type FailureMetric } from './failures.js';
import type { Evidence } from './rule.js';
import type { Situation } from './situation.js';

/** The curves of these metrics that the checkpoints measured. */
export const trendsOf = (situation: Situation, metrics: readonly FailureMetric[]): CurveTrend[] =>
  metrics.flatMap((m) => curveTrend(situation.evidence.checkpoints, m) ?? []);

export const trendEvidence = (trend: CurveTrend): Evidence => ({
  source: 'early_stop.checkpoints',
  finding: describeTrend(trend),
});

export const curveEvidence = (situation: Situation, metrics: readonly FailureMetric[]): Evidence[] =>
  trendsOf(situation, metrics).map(trendEvidence);

/**
 * The failing utility metrics' curves when every one the checkpoints measured is flat (null when
 * one still improves, or none was measured): then more epochs will not help the run.
 */
export function flatCurves(situation: Situation): CurveTrend[] | null {
  const failing = findFailures(situation.verdict).filter((f) => UTILITY_FAILURES.includes(f.type));
  const trends = trendsOf(
    situation,
    failing.map((f) => f.metric),
  );
  return trends.length && trends.every((t) => t.flat) ? trends : null;
}
