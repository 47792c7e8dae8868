/**
 * A rule (ARCHITECTURE: `{ id, applies, suggest }`): it recognises a failure pattern in a
 * situation, explains it, and proposes parameter changes, each carrying the rule's id.
 */
import type { MethodDescriptor, MethodFamily } from '../models/descriptor.js';
import type { Failure, FailureType } from './failures.js';
import type { Situation } from './situation.js';

/**
 * The severity words, least severe first: near (passing, close to its threshold), standard,
 * severe, critical, extreme. Outside the KS tiers they are bands of value over threshold (up to
 * 1.5x, 3x, 5x, beyond); analyze-failure and suggest list the diagnoses most severe first.
 */
export const SEVERITIES = ['near', 'standard', 'severe', 'critical', 'extreme'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Most severe first; equal ones keep their order (the order the rules were consulted). */
export const bySeverity = <T extends { readonly severity: Severity }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));

export type RuleGroup = 'dp' | 'combination' | 'method' | 'speed';

/** What a diagnosis read: the report field, and what it shows there. */
export interface Evidence {
  /**
   * The report field: metrics, checks, training.seconds, early_stop.checkpoints, evaluation.per_column,
   * evaluation.schema, evaluation.figures.columns, evaluation.detection.importances.
   */
  readonly source: string;
  readonly finding: string;
}

export interface Diagnosis {
  readonly rule: string;
  readonly failures: FailureType[];
  readonly severity: Severity;
  /** The root cause in plain language, with the figures that show it. */
  readonly cause: string;
  /** The evidence the rule used, each with where it was read. */
  readonly evidence: Evidence[];
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
  /** The methods it is for; every method when absent. */
  readonly methods?: MethodScope;
  /** Failure types this rule explains; once explained, later rules skip them. */
  readonly covers: readonly FailureType[];
  applies(situation: Situation, failures: Failure[]): Diagnosis | null;
  /** `taken`: parameters an earlier rule already changes; a rule does not move them again. */
  suggest(diagnosis: Diagnosis, situation: Situation, taken: ReadonlySet<string>): Change[];
}

/** Which methods a rule is for, by what they are (never by a list of ids), and how the docs name them. */
export interface MethodScope {
  readonly label: string;
  readonly includes: (method: MethodDescriptor) => boolean;
  /** For rows whose method is not known (an evaluation report), which meet no other scope. */
  readonly withoutMethod?: true;
}

export const appliesToMethod = (rule: Pick<Rule, 'methods'>, situation: Situation): boolean =>
  situation.descriptor === null
    ? (rule.methods?.withoutMethod ?? !rule.methods)
    : (rule.methods?.includes(situation.descriptor) ?? true);

/** Rows whose method is not known: an evaluation report judges rows, whoever made them. */
export const WITHOUT_METHOD: MethodScope = {
  label: 'none: rows of no known method',
  includes: () => false,
  withoutMethod: true,
};

/** Methods trained in epochs over the rows: their levers are epochs, batches and network sizes. */
export const TRAINED_BY_EPOCHS: MethodScope = {
  label: 'trained by epochs',
  includes: (m) => m.capabilities.trainsByEpochs,
};

/** Methods that train under DP with DP-SGD (noise on clipped gradients). */
export const TRAINED_WITH_DP_SGD: MethodScope = {
  label: 'DP-SGD',
  includes: (m) => m.capabilities.dp === 'dp-sgd',
};

/** Methods of these families (a rule whose cause is how such models learn). */
export const ofFamily = (...families: MethodFamily[]): MethodScope => ({
  label: families.join(', '),
  includes: (m) => families.includes(m.capabilities.family),
});
