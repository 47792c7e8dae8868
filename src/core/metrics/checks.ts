/** Thresholds applied to metric results: the checks, the all-green verdict, compliance and violations. */
import type { Thresholds } from '../config.js';
import type { MetricId, MetricResult } from './metric.js';
import { METRICS } from './registry.js';

export type CheckStatus = 'pass' | 'fail' | 'not_evaluated' | 'not_applicable';

export interface Check {
  readonly metric: MetricId;
  readonly op: '<=' | '>=';
  readonly threshold: number;
  readonly value: number | null;
  readonly status: CheckStatus;
  /** How far past the threshold a failing value is (0 otherwise). */
  readonly excess: number;
  readonly message?: string;
}

export interface Verdict {
  readonly checks: Check[];
  /** Every check passed (a check with nothing to measure, such as TVD without categorical columns, does not count). */
  readonly allGreen: boolean;
  /** Passed checks as a percentage of the checks that apply. */
  readonly complianceScore: number;
  readonly violations: Check[];
}

export function applyThresholds(results: Partial<Record<MetricId, MetricResult>>, thresholds: Thresholds): Verdict {
  const checks = (Object.entries(thresholds) as [MetricId, number][]).map(([metric, threshold]) =>
    check(metric, threshold, results[metric]),
  );
  const applicable = checks.filter((c) => c.status !== 'not_applicable');
  const passed = applicable.filter((c) => c.status === 'pass').length;
  const violations = applicable.filter((c) => c.status !== 'pass');
  return {
    checks,
    allGreen: violations.length === 0,
    complianceScore: applicable.length ? Math.round((1000 * passed) / applicable.length) / 10 : 100,
    violations,
  };
}

function check(metric: MetricId, threshold: number, result: MetricResult | undefined): Check {
  const op = METRICS[metric].goal === 'maximize' ? '>=' : '<=';
  const base = { metric, op, threshold, value: result?.value ?? null, excess: 0 } as const;
  if (!result || result.status === 'not_evaluated' || result.status === 'error') {
    return { ...base, status: 'not_evaluated', message: result?.message ?? 'not computed' };
  }
  if (result.status === 'not_applicable' || result.value === null)
    return { ...base, status: 'not_applicable', message: result.message };
  const value = result.value;
  const pass = op === '<=' ? value <= threshold : value >= threshold;
  return { ...base, status: pass ? 'pass' : 'fail', excess: pass ? 0 : Math.abs(value - threshold) };
}
