/**
 * Thresholds applied to metric results: the checks, the all-green verdict, compliance and
 * violations. The one place pass/fail is decided; the optimizer, early stopping and attempt
 * ranking read this verdict and its standing, never the raw metric values.
 */
import type { Thresholds } from './thresholds.js';
import type { MetricId, MetricResult } from './metric.js';
import { METRICS } from './registry.js';

export type CheckStatus = 'pass' | 'fail' | 'not_evaluated' | 'not_applicable';

/** A table metric's check, or a check a model makes on its own samples (sample_spread). */
export type CheckId = MetricId | 'sample_spread';

export interface Check {
  readonly metric: CheckId;
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

/** `extra`: checks decided elsewhere (a model's sample checks), counted like the rest. */
export function applyThresholds(
  results: Partial<Record<MetricId, MetricResult>>,
  thresholds: Thresholds,
  extra: readonly Check[] = [],
): Verdict {
  const checks = [
    ...(Object.entries(thresholds) as [MetricId, number][]).map(([metric, threshold]) =>
      check(metric, threshold, results[metric]),
    ),
    ...extra,
  ];
  const applicable = checks.filter((c) => c.status !== 'not_applicable');
  const passed = applicable.filter((c) => c.status === 'pass').length;
  const violations = applicable.filter((c) => c.status !== 'pass');
  // Nothing checked is not all green (a vacuous pass would contradict the gate's NOTHING CHECKED).
  return {
    checks,
    allGreen: !nothingChecked(checks) && violations.length === 0,
    complianceScore: applicable.length ? Math.round((1000 * passed) / applicable.length) / 10 : 0,
    violations,
  };
}

/**
 * No check applies (every threshold turned off, or none has anything to measure): an all-green
 * verdict would be vacuous, so a gate the user asked for fails with NOTHING CHECKED (SPEC section 2).
 */
export const nothingChecked = (checks: readonly Pick<Check, 'status'>[]): boolean =>
  checks.every((c) => c.status === 'not_applicable');

function check(metric: MetricId, threshold: number, result: MetricResult | undefined): Check {
  const op = METRICS[metric].goal === 'maximize' ? '>=' : '<=';
  const base = { metric, op, threshold, value: result?.value ?? null, excess: 0 } as const;
  if (!result && METRICS[metric].optIn) return { ...base, status: 'not_applicable', message: METRICS[metric].optIn };
  if (!result || result.status === 'not_evaluated' || result.status === 'error') {
    return { ...base, status: 'not_evaluated', message: result?.message ?? 'not computed' };
  }
  if (result.status === 'not_applicable' || result.value === null)
    return { ...base, status: 'not_applicable', message: result.message };
  const value = result.value;
  const pass = op === '<=' ? value <= threshold : value >= threshold;
  return { ...base, status: pass ? 'pass' : 'fail', excess: pass ? 0 : Math.abs(value - threshold) };
}

/** A verdict from bare metric values (a report, --metrics, a checkpoint): a missing value is not evaluated. */
export function verdictOfValues(
  values: Partial<Record<MetricId, number | null>>,
  thresholds: Thresholds,
  extra: readonly Check[] = [],
): Verdict {
  const results: Partial<Record<MetricId, MetricResult>> = {};
  for (const [id, value] of Object.entries(values) as [MetricId, number | null | undefined][]) {
    if (value !== null && value !== undefined) results[id] = { value, status: 'ok' };
  }
  return applyThresholds(results, thresholds, extra);
}

/** A check decided by its own measure: value <= threshold passes. */
export function upperBoundCheck(metric: CheckId, value: number, threshold: number, message: string): Check {
  const pass = value <= threshold;
  return {
    metric,
    op: '<=',
    threshold,
    value,
    status: pass ? 'pass' : 'fail',
    excess: pass ? 0 : value - threshold,
    message,
  };
}

/**
 * How good a verdict is, for ranking attempts and checkpoints (SPEC section 5): all green first,
 * then fewest failing checks, then the smallest total excess over thresholds, then the score.
 * score: the sum over evaluated checks of the value relative to its threshold (value/threshold
 * when minimised, threshold/value when maximised), so lower is better everywhere.
 */
export interface Standing {
  readonly allGreen: boolean;
  /** Checks that did not pass (failing or not evaluated). */
  readonly failing: number;
  readonly excess: number;
  readonly score: number;
}

export function standing(verdict: Verdict): Standing {
  let score = 0;
  for (const c of verdict.checks) {
    if ((c.status !== 'pass' && c.status !== 'fail') || c.value === null) continue;
    score += c.op === '<=' ? c.value / Math.max(c.threshold, 1e-12) : c.threshold / Math.max(c.value, 1e-12);
  }
  return {
    allGreen: verdict.allGreen,
    failing: verdict.violations.length,
    excess: verdict.violations.reduce((sum, v) => sum + v.excess, 0),
    score: Math.round(score * 1000) / 1000,
  };
}

/** A standing for something that produced nothing to evaluate: below every real one. */
export const NOTHING_EVALUATED: Standing = { allGreen: false, failing: Infinity, excess: Infinity, score: Infinity };

/** Negative when `a` ranks before `b`; ties keep the earlier one. */
export function compareStandings(a: Standing, b: Standing): number {
  if (a.allGreen !== b.allGreen) return a.allGreen ? -1 : 1;
  if (a.failing !== b.failing) return a.failing < b.failing ? -1 : 1;
  if (a.excess !== b.excess) return a.excess < b.excess ? -1 : 1;
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return 0;
}

/** Whether the verdict's check `id` was evaluated and failed. */
export const failed = (verdict: Verdict, id: CheckId): boolean =>
  verdict.checks.some((c) => c.metric === id && c.status === 'fail');
