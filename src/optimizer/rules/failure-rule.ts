/**
 * The shape of most rules: fire on some failure types for some methods, explain them, and pull
 * the first movable lever of a list.
 */
import { formatCount } from '../../core/text/format.js';
import { findFailures, type Failure, type FailureType } from '../failures.js';
import { leverLabels, pullFirst, type Lever } from '../levers.js';
import {
  appliesToMethod,
  type Diagnosis,
  type Evidence,
  type MethodScope,
  type Rule,
  type RuleGroup,
  type Severity,
} from '../rule.js';
import type { Situation } from '../situation.js';

export interface FailureRuleSpec {
  readonly id: string;
  readonly group: RuleGroup;
  readonly methods?: MethodScope;
  readonly covers: readonly FailureType[];
  readonly when: string;
  /** The failures this rule explains in the situation, or null when it does not apply. */
  readonly match: (situation: Situation, failures: Failure[]) => Failure[] | null;
  readonly cause: (failures: Failure[], situation: Situation) => string;
  /** What the rule read besides the failing metrics (the cause should say it too). */
  readonly evidence?: (failures: Failure[], situation: Situation) => Evidence[];
  readonly levers: readonly Lever[];
  readonly advice?: readonly string[];
}

export function failureRule(spec: FailureRuleSpec): Rule {
  return {
    id: spec.id,
    group: spec.group,
    ...(spec.methods ? { methods: spec.methods } : {}),
    covers: spec.covers,
    summary: `${spec.when}: ${leverLabels(spec.levers)}`,
    applies(situation, failures): Diagnosis | null {
      if (!appliesToMethod(spec, situation)) return null;
      const matched = spec.match(situation, failures);
      if (!matched) return null;
      return {
        rule: spec.id,
        failures: [...new Set(matched.map((f) => f.type))],
        severity: severityOf(matched),
        cause: spec.cause(matched, situation),
        evidence: [metricsEvidence(matched), ...(spec.evidence?.(matched, situation) ?? [])],
        ...(spec.advice ? { advice: [...spec.advice] } : {}),
      };
    },
    suggest: (_diagnosis, situation, taken) => pullFirst(spec.levers, situation, taken, spec.id, spec.when),
  };
}

/** Severity outside the KS table: by how many times the threshold the worst failure is. */
export function severityOf(failures: Failure[]): Severity {
  const worst = Math.max(0, ...failures.map((f) => (Number.isFinite(f.ratio) ? f.ratio : 10)));
  return worst <= 1.5 ? 'standard' : worst <= 3 ? 'severe' : worst <= 5 ? 'critical' : 'extreme';
}

/** "corr_delta 0.18 is 1.8x the 0.1 threshold". */
export const describeFailure = (f: Failure): string =>
  `${f.metric} ${round(f.value)} is ${f.ratio.toFixed(1)}x the ${f.threshold} threshold`;

export const describeAll = (failures: Failure[]): string => failures.map(describeFailure).join('; ');

/** The failing metrics as evidence: every rule reads them. */
export const metricsEvidence = (failures: Failure[]): Evidence => ({
  source: 'metrics',
  finding: describeAll(failures),
});

export const rowsText = (situation: Situation): string => `${formatCount(situation.trainRows)} training rows`;

const round = (x: number): string => (Math.abs(x) >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

export const only = (failures: Failure[], types: readonly FailureType[]): Failure[] =>
  failures.filter((f) => types.includes(f.type));

export const nonEmpty = <T>(list: T[]): T[] | null => (list.length ? list : null);

/** Every failing check of the run, explained or not: the combinations ("only privacy fails") look at the whole run. */
export const allFailures = (situation: Situation): Failure[] => findFailures(situation.verdict);
