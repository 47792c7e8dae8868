/** Failure types (SPEC section 5): which check failed, by how much, and whether it is about utility or privacy. */
import type { Thresholds } from '../core/config.js';
import type { MetricId } from '../core/metrics/metric.js';

export const FAILURE_OF = {
  ks_mean: 'HIGH_KS',
  tvd_mean: 'HIGH_TVD',
  corr_delta: 'HIGH_CORR_DELTA',
  dup_rate: 'HIGH_DUP_RATE',
  mia_auc: 'HIGH_MIA',
} as const satisfies Partial<Record<MetricId, string>>;

export type FailureMetric = keyof typeof FAILURE_OF;
export type FailureType = (typeof FAILURE_OF)[FailureMetric];

export const UTILITY_FAILURES: readonly FailureType[] = ['HIGH_KS', 'HIGH_TVD', 'HIGH_CORR_DELTA'];
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

/** Every check (metric with a threshold and a value) that is past its threshold. All these metrics are minimised. */
export function findFailures(metrics: MetricValues, thresholds: Thresholds): Failure[] {
  const failures: Failure[] = [];
  for (const metric of Object.keys(FAILURE_OF) as FailureMetric[]) {
    const value = metrics[metric];
    const threshold = thresholds[metric];
    if (value === null || value === undefined || threshold === undefined || value <= threshold) continue;
    failures.push({
      type: FAILURE_OF[metric],
      metric,
      value,
      threshold,
      ratio: threshold > 0 ? value / threshold : Infinity,
    });
  }
  return failures;
}

/** Checks that were evaluated (have a value and a threshold), failing or not. */
export function evaluatedChecks(metrics: MetricValues, thresholds: Thresholds): FailureMetric[] {
  return (Object.keys(FAILURE_OF) as FailureMetric[]).filter(
    (m) => thresholds[m] !== undefined && metrics[m] !== null && metrics[m] !== undefined,
  );
}

export const isUtility = (f: Failure): boolean => UTILITY_FAILURES.includes(f.type);
export const isPrivacy = (f: Failure): boolean => PRIVACY_FAILURES.includes(f.type);
