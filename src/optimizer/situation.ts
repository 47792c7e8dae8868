/**
 * What the optimizer reasons about: one run's metrics, its parameters, the data's size, what the
 * caller can change, and the evidence the run recorded (checkpoints, columns, detector).
 */
import type { Thresholds } from '../metrics/thresholds.js';
import { failed, verdictOfValues, type Check, type Verdict } from '../metrics/checks.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type MethodId, type Registry } from '../models/registry.js';
import { NO_EVIDENCE, type RunEvidence } from './evidence.js';
import type { MetricValues } from './failures.js';

export interface DpSetting {
  /** The target epsilon of the run. */
  readonly epsilon: number;
  /** The most the user will spend: a "raise epsilon" suggestion never goes above it. */
  readonly maxEpsilon: number;
}

export interface Situation {
  /** Null for rows whose method is not known (an evaluation report): only method-neutral rules apply. */
  readonly method: MethodId | null;
  /** The method's descriptor: its space bounds the levers, its capabilities choose the rules. */
  readonly descriptor: MethodDescriptor | null;
  readonly metrics: MetricValues;
  readonly thresholds: Thresholds;
  /** The checks' verdict on the run: what failed is read from here, nowhere else. */
  readonly verdict: Verdict;
  /** Every parameter of the method's space (missing ones filled with the size defaults). */
  readonly params: Readonly<Record<string, number>>;
  readonly trainRows: number;
  readonly columns: number;
  readonly dp: DpSetting | null;
  /** Training seconds of the run, when known. */
  readonly trainSeconds: number | null;
  /** Above this, "too slow" applies. */
  readonly timeBudgetSeconds: number;
  /** Sampled numeric values piled up at the edges of their range (the run wrote no rows). */
  readonly samplesAtEdges: boolean;
  /** Training stopped before its last epoch by the user (not by early stopping). */
  readonly trainingInterrupted: boolean;
  /** What the caller can act on: methods it can train, and whether it can train under DP. */
  readonly can: { readonly methods: readonly MethodId[]; readonly dp: boolean };
  /** The checkpoint curve, the columns and the detector's importances, where the run recorded them. */
  readonly evidence: RunEvidence;
}

/** The SPEC's target for one default run on a laptop-class machine. */
export const DEFAULT_TIME_BUDGET_SECONDS = 15 * 60;

export interface RunFacts {
  /** Null: the rows' method is not known (an evaluation report). */
  readonly method: MethodId | null;
  /** The run's verdict when it was evaluated with its checks (a live attempt); else built from `metrics`. */
  readonly verdict?: Verdict;
  readonly metrics: MetricValues;
  readonly thresholds: Thresholds;
  /** Checks beyond the metrics' (a report's sample_spread), when `verdict` is not given. */
  readonly extraChecks?: readonly Check[];
  readonly params: Readonly<Record<string, number>>;
  readonly trainRows: number;
  readonly columns: number;
  readonly dp?: DpSetting | null;
  readonly trainSeconds?: number | null;
  readonly timeBudgetSeconds?: number;
  readonly trainingInterrupted?: boolean;
  /** Whether the caller can switch DP on (default: yes). */
  readonly canDp?: boolean;
  /** The methods the optimizer knows and may switch to (default: the shipped ones). */
  readonly registry?: Registry;
  readonly evidence?: RunEvidence;
}

/** The one way a Situation is made, from a live attempt or from a report file. */
export function situationOf(facts: RunFacts): Situation {
  const verdict = facts.verdict ?? verdictOfValues(facts.metrics, facts.thresholds, facts.extraChecks);
  const registry = facts.registry ?? REGISTRY;
  return {
    method: facts.method,
    descriptor: facts.method === null ? null : registry.get(facts.method),
    metrics: facts.metrics,
    thresholds: facts.thresholds,
    verdict,
    params: facts.params,
    trainRows: facts.trainRows,
    columns: facts.columns,
    dp: facts.dp ?? null,
    trainSeconds: facts.trainSeconds ?? null,
    timeBudgetSeconds: facts.timeBudgetSeconds ?? DEFAULT_TIME_BUDGET_SECONDS,
    samplesAtEdges: failed(verdict, 'sample_spread'),
    trainingInterrupted: facts.trainingInterrupted ?? false,
    // The optimizer skips levers the caller cannot pull.
    can: { methods: registry.ids, dp: facts.canDp ?? true },
    evidence: facts.evidence ?? NO_EVIDENCE,
  };
}
