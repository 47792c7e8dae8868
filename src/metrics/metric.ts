/** The metric contract (after SDMetrics' metric classes): one metric per file, pure over its inputs. */
import type { Table } from '../core/table.js';
import type { PrivacyDistances } from './privacy-distances.js';

export type MetricId =
  | 'ks_mean'
  | 'tvd_mean'
  | 'corr_delta'
  | 'dup_rate'
  | 'dcr_median'
  | 'dcr_train_share'
  | 'mia_auc'
  | 'ml_efficacy'
  | 'detection_auc'
  | 'singling_out_risk'
  | 'linkability_risk'
  | 'inference_risk';

/** What the attack-based risks may be told: attacks per side, and the column inference guesses. */
export interface AttackSettings {
  readonly attacks?: number;
  readonly secret?: string;
}

export interface MetricContext {
  /** R: the rows the model was trained on. */
  readonly real: Table;
  /** S: the synthetic rows. */
  readonly synthetic: Table;
  /** H: real rows never trained on, when known. */
  readonly holdout?: Table;
  /** Seed for anything a metric samples (corr_delta's column pairs on a wide table). */
  readonly seed: number;
  /** Nearest-neighbour distances, computed once on first use and shared by the privacy metrics. */
  readonly privacy: () => Promise<PrivacyDistances>;
  /** The column ML efficacy predicts (none: ml_efficacy does not apply). */
  readonly target?: string;
  readonly attacks?: AttackSettings;
}

export type MetricStatus = 'ok' | 'not_applicable' | 'not_evaluated' | 'error';

export interface MetricResult {
  readonly value: number | null;
  /** not_applicable: nothing to measure (no column of that kind); not_evaluated: an input is missing. */
  readonly status: MetricStatus;
  readonly message?: string;
  readonly perColumn?: Record<string, number | null>;
  readonly warnings?: string[];
  /** JSON-ready facts beyond the value (ML efficacy's scores, the detector's importances, an attack's rates). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Metric {
  readonly id: MetricId;
  readonly goal: 'minimize' | 'maximize';
  readonly range: readonly [number, number];
  readonly description: string;
  /** Measured only when a run asks for it (ml_efficacy: a target column): without a value its check does not apply. */
  readonly optIn?: string;
  compute(context: MetricContext): MetricResult | Promise<MetricResult>;
}

export const ok = (value: number, extra: Omit<MetricResult, 'value' | 'status'> = {}): MetricResult => ({
  value,
  status: 'ok',
  ...extra,
});
export const notApplicable = (message: string): MetricResult => ({ value: null, status: 'not_applicable', message });
export const notEvaluated = (message: string): MetricResult => ({ value: null, status: 'not_evaluated', message });
