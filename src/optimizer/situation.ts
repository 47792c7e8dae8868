/** What the optimizer reasons about: one run's metrics, its parameters, the data's size, and what the caller can change. */
import type { Thresholds } from '../core/config.js';
import type { MethodId } from '../models/registry.js';
import type { MetricValues } from './failures.js';

export interface DpSetting {
  /** The target epsilon of the run. */
  readonly epsilon: number;
  /** The most the user will spend: a "raise epsilon" suggestion never goes above it. */
  readonly maxEpsilon: number;
}

export interface Situation {
  readonly method: MethodId;
  readonly metrics: MetricValues;
  readonly thresholds: Thresholds;
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
  /** What the caller can act on: methods it can train, and whether DP-SGD is available. */
  readonly can: { readonly methods: readonly MethodId[]; readonly dp: boolean };
}

/** The SPEC's target for one default run on a laptop-class machine. */
export const DEFAULT_TIME_BUDGET_SECONDS = 15 * 60;
