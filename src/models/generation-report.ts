/** The JSON report of `gesalp generate`: what ran, on what, how long, and how good the result is. */
import type { InputFile } from '../core/io/load-inputs.js';
import type { EvaluationReport } from '../core/report/evaluation-report.js';
import { VERSION } from '../core/version.js';
import type { ResolvedParam } from './resolve-params.js';
import type { FitSummary } from './synthesizer.js';

/** What `evaluate --split` needs to rebuild train and holdout from the input file. */
export interface SplitRecord {
  readonly seed: number;
  readonly fraction: number;
  readonly input_sha256: string;
  readonly rows: number;
  readonly train_rows: number;
  readonly holdout_rows: number;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly parameters: Record<string, number>;
  /** The optimizer's changes that led to this attempt, each with the rule that made it. */
  readonly changes: { param: string; from: number | string | null; to: number | string; rule: string }[];
  readonly all_green: boolean;
  readonly violations: string[];
  readonly metrics: Record<string, number | null>;
  readonly epochs_done: number | null;
  readonly early_stopped_at: number | null;
  readonly samples_at_edges: boolean;
  readonly train_seconds: number;
  readonly sample_seconds: number;
  readonly diagnoses: { rule: string; severity: string; cause: string }[];
  readonly kept: boolean;
}

/** Early stopping during one training run: the checkpoints evaluated and where training stopped. */
export interface EarlyStopRecord {
  readonly every_epochs: number;
  readonly sample_rows: number;
  readonly stopped_at_epoch: number | null;
  readonly checkpoints: readonly {
    readonly epoch: number;
    readonly metrics: Readonly<Record<string, number | null | undefined>>;
    readonly all_green: boolean;
    readonly score: number;
    readonly stop: boolean;
    readonly seconds: number;
  }[];
}

export interface OptimizerRecord {
  readonly mode: 'single' | 'retry' | 'grid';
  readonly max_attempts: number;
  readonly kept_attempt: number;
  readonly ending: string;
}

export interface GenerationReport {
  readonly gesalp_version: string;
  readonly report: 'generation';
  readonly created_at: string;
  readonly method: string;
  readonly method_reason: string;
  readonly parameters: ResolvedParam[];
  readonly backend: string;
  readonly seed: number;
  readonly input: InputFile;
  readonly split: SplitRecord;
  readonly output: { readonly path: string; readonly rows: number; readonly sha256: string };
  readonly model: { readonly saved_to: string | null; readonly loaded_from: string | null };
  readonly training: FitSummary | null;
  readonly early_stop: EarlyStopRecord | null;
  readonly timings_s: Record<string, number>;
  readonly optimizer: OptimizerRecord;
  readonly attempts: AttemptRecord[];
  readonly privacy: null;
  readonly all_green: boolean;
  readonly violations: string[];
  readonly evaluation: EvaluationReport;
  readonly warnings: string[];
}

export type GenerationReportParts = Omit<
  GenerationReport,
  'gesalp_version' | 'report' | 'created_at' | 'all_green' | 'violations'
>;

export function buildGenerationReport(parts: GenerationReportParts, now = new Date()): GenerationReport {
  const seconds = Object.fromEntries(Object.entries(parts.timings_s).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  return {
    gesalp_version: VERSION,
    report: 'generation',
    created_at: now.toISOString(),
    ...parts,
    timings_s: seconds,
    all_green: parts.evaluation.all_green,
    violations: parts.evaluation.violations.map((v) => v.metric),
  };
}
