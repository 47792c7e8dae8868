/** The page is an ordered list of sections; each draws itself from the report, or is left out. */
import type { EvaluationReport } from '../../evaluation-report.js';

/**
 * What the page reads of generate's report (src/pipeline/report.ts's GenerationReport fits it):
 * declared here so that core does not import from the pipeline above it.
 */
export interface GenerationView {
  readonly method: string;
  readonly method_reason: string;
  readonly parameters: readonly { readonly name: string; readonly value: number; readonly source: string }[];
  readonly backend: string;
  readonly seed: number;
  readonly created_at: string;
  readonly output?: { readonly path: string };
  readonly input: { readonly path: string; readonly rows: number | null; readonly columns: number };
  readonly split: {
    readonly seed: number;
    readonly fraction: number;
    readonly train_rows: number | null;
    readonly holdout_rows: number | null;
  };
  readonly model: { readonly loaded_from: string | null };
  readonly training: {
    readonly epochs_done: number;
    readonly epochs: number;
    readonly steps_done: number;
    readonly seconds: number | null;
    readonly samples_per_second: number | null;
    readonly stopped: boolean;
    readonly early_stopped: boolean;
    /** Absent in reports written before models kept their best checkpoint. */
    readonly kept_epoch?: number | null;
    readonly epoch_loss: readonly number[];
    readonly threads: number;
  } | null;
  readonly early_stop: {
    readonly every_epochs: number;
    readonly sample_rows: number;
    readonly stopped_at_epoch: number | null;
    readonly checkpoints: readonly {
      readonly epoch: number;
      readonly metrics: Readonly<Record<string, number | null | undefined>>;
      readonly all_green: boolean;
      readonly score: number;
      readonly stop: boolean;
      readonly seconds: number | null;
      readonly last?: true;
    }[];
  } | null;
  readonly optimizer: {
    readonly mode: string;
    readonly max_attempts: number;
    readonly kept_attempt: number;
    readonly ending: string;
  };
  readonly attempts: readonly {
    readonly attempt: number;
    readonly method: string;
    readonly parameters: Readonly<Record<string, number>>;
    readonly changes: readonly { param: string; from: number | string | null; to: number | string; rule: string }[];
    readonly all_green: boolean | null;
    readonly violations: readonly string[];
    readonly epochs_done: number | null;
    readonly early_stopped_at: number | null;
    readonly train_seconds: number | null;
    readonly diagnoses: readonly { rule: string; severity: string; cause: string }[];
    readonly kept: boolean;
  }[];
  readonly timings_s: Record<string, number>;
  /** The DP section of a run with a privacy budget (src/pipeline/privacy-record.ts). */
  readonly privacy?: DpView | null;
}

/** What the page reads of the report's DP section. */
export interface DpView {
  readonly target_epsilon: number;
  readonly spent_epsilon: number;
  readonly delta: number;
  readonly noise_multiplier: number | null;
  readonly sample_rate: number | null;
  readonly steps: number | null;
  readonly max_grad_norm: number | null;
  /** AIM's zCDP account; null for DP-SGD. */
  readonly zcdp?: {
    readonly rho: number;
    readonly spent_rho: number;
    readonly threshold_delta: number;
    readonly conversion: string;
    readonly stages: readonly { stage: string; rho: number; detail: string }[];
    readonly rounds: readonly {
      round: number;
      marginal: readonly string[];
      selection_rho: number;
      measurement_rho: number;
      sigma: number;
    }[];
  } | null;
  readonly max_epsilon: number;
  readonly preprocessing: {
    readonly epsilon: number;
    readonly delta: number;
    readonly fraction: number;
    readonly estimated: readonly { column: string; how: string; epsilon: number; delta: number | null }[];
    readonly public: readonly string[];
    readonly placeholder: string;
  };
  readonly unit?: string;
  readonly training_rows?: number;
  readonly training_rows_from?: string;
  readonly attempts: readonly {
    attempt: number;
    charged_epsilon?: number;
    target_epsilon: number;
    spent_epsilon: number;
    delta: number;
  }[];
  readonly total_epsilon: number;
  readonly total_delta: number;
  readonly total_epsilon_limit: number;
  readonly early_stop: string;
  readonly loss_curve: string;
}

export interface ReportPage {
  /**
   * The evaluation: `gesalp evaluate`'s report, or the evaluation inside generate's; null for a DP
   * run that nothing public judged (the page then shows only DP releases).
   */
  readonly evaluation: EvaluationReport | null;
  /** A warning the page opens with (the private evaluation's: outside the DP guarantee). */
  readonly notice?: string;
  /** generate's report, for the parameters, the training and the attempts. */
  readonly generation?: GenerationView;
  /** Versions the reports do not record (Node's, given by the command). */
  readonly versions?: Record<string, string>;
}

export interface Section {
  /** The element id (a link target) and the heading. */
  readonly id: string;
  readonly title: string;
  /** The section's HTML below its heading, or null when it has nothing to show for this report. */
  render(page: ReportPage): Promise<string | null> | string | null;
}
