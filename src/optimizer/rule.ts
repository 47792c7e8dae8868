/**
 * A rule (ARCHITECTURE: `{ id, applies, suggest }`): it recognises a failure pattern in a
 * situation, explains it, and proposes parameter changes, each carrying the rule's id.
 */
import type { Failure, FailureType } from './failures.js';
import type { Situation } from './situation.js';

export type Severity = 'near' | 'standard' | 'severe' | 'critical' | 'extreme';

export type RuleGroup = 'dp' | 'combination' | 'method' | 'speed';

export interface Diagnosis {
  readonly rule: string;
  readonly failures: FailureType[];
  readonly severity: Severity;
  /** The root cause in plain language, with the figures that show it. */
  readonly cause: string;
  /** Checks to make by hand that no parameter change covers. */
  readonly advice?: string[];
}

export interface Change {
  readonly param: string;
  readonly from: number | string | null;
  readonly to: number | string;
  readonly rule: string;
  readonly reason: string;
}

export interface Rule {
  readonly id: string;
  readonly group: RuleGroup;
  /** One line for PARAMETER_TABLES.md and --json: when it fires and what it does. */
  readonly summary: string;
  readonly methods: readonly string[];
  /** Failure types this rule explains; once explained, later rules skip them. */
  readonly covers: readonly FailureType[];
  applies(situation: Situation, failures: Failure[]): Diagnosis | null;
  /** `taken`: parameters an earlier rule already changes; a rule does not move them again. */
  suggest(diagnosis: Diagnosis, situation: Situation, taken: ReadonlySet<string>): Change[];
}

export const forMethods = (rule: Rule, situation: Situation): boolean => rule.methods.includes(situation.method);
