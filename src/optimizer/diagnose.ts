/** Runs the rules over a situation: the failures, each rule's diagnosis, and the merged parameter changes. */
import type { CheckId } from '../metrics/checks.js';
import { findFailures, type Failure } from './failures.js';
import { appliesToMethod, bySeverity, type Change, type Diagnosis, type Rule } from './rule.js';
import { RULES } from './rules/index.js';
import type { Situation } from './situation.js';

export interface Analysis {
  readonly failures: Failure[];
  /** Checks (metrics with a threshold) that have no value: nothing says they pass. */
  readonly notEvaluated: CheckId[];
  /** Every failing check, with a failure type or not (the model's sample_spread has none). */
  readonly failing: CheckId[];
  /** Every check has a value and passes. */
  readonly allGreen: boolean;
  readonly diagnoses: Diagnosis[];
  /** At most one change per parameter, from the first rule that moved it. */
  readonly changes: Change[];
}

export function diagnose(situation: Situation, rules: readonly Rule[] = RULES): Analysis {
  const failures = findFailures(situation.verdict);
  const explained = new Set<string>();
  const taken = new Set<string>();
  const diagnoses: Diagnosis[] = [];
  const changes: Change[] = [];
  for (const rule of rules) {
    if (!appliesToMethod(rule, situation)) continue;
    // A rule sees only the failures no earlier rule explained.
    const diagnosis = rule.applies(
      situation,
      failures.filter((f) => !explained.has(f.type)),
    );
    if (!diagnosis) continue;
    if (diagnosis.failures.length && diagnosis.failures.every((t) => explained.has(t))) continue;
    diagnosis.failures.forEach((t) => explained.add(t));
    diagnoses.push(diagnosis);
    for (const change of rule.suggest(diagnosis, situation, taken)) {
      if (taken.has(change.param)) continue;
      taken.add(change.param);
      changes.push(change);
    }
  }
  // The verdict decides: a check without a value is not evaluated, and nothing says it passes.
  const notEvaluated = situation.verdict.checks.filter((c) => c.status === 'not_evaluated').map((c) => c.metric);
  const failing = situation.verdict.checks.filter((c) => c.status === 'fail').map((c) => c.metric);
  return { failures, notEvaluated, failing, allGreen: situation.verdict.allGreen, diagnoses, changes };
}

/** The parameters after the numeric changes (method and epsilon changes are the caller's to apply). */
export function applyChanges(
  params: Readonly<Record<string, number>>,
  changes: readonly Change[],
): Record<string, number> {
  const next = { ...params };
  for (const c of changes) if (c.param in next && typeof c.to === 'number') next[c.param] = c.to;
  return next;
}

/**
 * An analysis as JSON documents carry it (analyze-failure --json, suggest --json): snake_case, the
 * diagnoses most severe first (rule.ts: SEVERITIES).
 */
export const analysisRecord = (a: Analysis) => ({
  all_green: a.allGreen,
  not_evaluated: a.notEvaluated,
  failing: a.failing,
  failures: a.failures,
  diagnoses: bySeverity(a.diagnoses),
  changes: a.changes,
});

export type AnalysisRecord = ReturnType<typeof analysisRecord>;
