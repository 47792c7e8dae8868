/** Failure types (SPEC section 5): which check failed, by how much, and whether it is about utility or privacy. */
import type { Verdict } from '../metrics/checks.js';
import type { MetricId } from '../metrics/metric.js';

export const FAILURE_OF = {
  ks_mean: 'HIGH_KS',
  tvd_mean: 'HIGH_TVD',
  corr_delta: 'HIGH_CORR_DELTA',
  dup_rate: 'HIGH_DUP_RATE',
  mia_auc: 'HIGH_MIA',
  detection_auc: 'HIGH_DETECTION',
  ml_efficacy: 'LOW_ML_EFFICACY',
} as const satisfies Partial<Record<MetricId, string>>;

export type FailureMetric = keyof typeof FAILURE_OF;
export type FailureType = (typeof FAILURE_OF)[FailureMetric];

export const UTILITY_FAILURES: readonly FailureType[] = [
  'HIGH_KS',
  'HIGH_TVD',
  'HIGH_CORR_DELTA',
  'HIGH_DETECTION',
  'LOW_ML_EFFICACY',
];
export const PRIVACY_FAILURES: readonly FailureType[] = ['HIGH_MIA', 'HIGH_DUP_RATE'];

export interface Failure {
  readonly type: FailureType;
  readonly metric: FailureMetric;
  readonly value: number;
  readonly threshold: number;
  /** value / threshold: 7.3 means "7.3x the threshold". */
  readonly ratio: number;
}

export type MetricValues = Partial<Record<MetricId, number | null>>;

const isFailureMetric = (id: string): id is FailureMetric => id in FAILURE_OF;

/** The failing checks of a verdict that the optimizer has a failure type for. */
export function findFailures(verdict: Verdict): Failure[] {
  return verdict.checks.flatMap((c) =>
    c.status === 'fail' && c.value !== null && isFailureMetric(c.metric)
      ? [
          {
            type: FAILURE_OF[c.metric],
            metric: c.metric,
            value: c.value,
            threshold: c.threshold,
            ratio: c.op === '<=' ? c.value / c.threshold : c.threshold / c.value,
          },
        ]
      : [],
  );
}

/** Checks that were evaluated (passed or failed) and that the optimizer has a failure type for. */
export const evaluatedChecks = (verdict: Verdict): FailureMetric[] =>
  verdict.checks.flatMap((c) =>
    (c.status === 'pass' || c.status === 'fail') && isFailureMetric(c.metric) ? [c.metric] : [],
  );
