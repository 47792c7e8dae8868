/**
 * The JSON report of `gesalp generate`: what ran, on what, how long, and how good the result is.
 * The one module that builds it (snake_case throughout); readers go through its types.
 */
import type { InitFromRecord } from './init-from.js';
import type { Check } from '../metrics/checks.js';
import type { QualityScore } from '../metrics/quality.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import type { Dialect } from '../core/io/dialect.js';
import { VERSION } from '../core/version.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { CheckpointRecord, TrainingAction } from '../optimizer/early-stop.js';
import type { FitSummary } from '../models/synthesizer.js';
import type { IdentifierRecord } from './identifier-columns.js';
import type { PrivacyRecord } from './privacy-record.js';
import type { SplitRecord } from './split-record.js';
import type { ConstraintsRecord } from './constrained-sampling.js';

export interface AttemptRecord {
  readonly attempt: number;
  readonly method: string;
  readonly parameters: Record<string, number>;
  /** The optimizer's changes that led to this attempt, each with the rule that made it. */
  readonly changes: { param: string; from: number | string | null; to: number | string; rule: string }[];
  /** Null where nothing judged the attempt. */
  readonly all_green: boolean | null;
  /** The checks that did not pass, as the evaluation report lists them. */
  readonly violations: Check[];
  readonly metrics: Record<string, number | null>;
  readonly epochs_done: number | null;
  readonly early_stopped_at: number | null;
  readonly samples_at_edges: boolean;
  /** Null under DP (the times grow with the private row count). */
  readonly train_seconds: number | null;
  readonly sample_seconds: number | null;
  readonly diagnoses: { rule: string; severity: string; cause: string }[];
  readonly kept: boolean;
  /** Under DP: the attempt's epsilon (preprocessing share included). */
  readonly epsilon: number | null;
  /** Whether it is on the privacy-utility-time front of the run's attempts (null for a single attempt). */
  readonly pareto_front: boolean | null;
  /** How it was proposed: the start, the rules, a grid point or the search (with the search's reason). */
  readonly proposal: string;
  /** The quality score of its rows (null: not judged). */
  readonly quality: number | null;
  /** The search's loss: 120 per failing check, up to 10 for the excess over thresholds, less the quality score (lower is better). */
  readonly search_loss: number | null;
  /** Epochs trained over epochs planned: below 1 where a checkpoint stopped it early or the search pruned it. */
  readonly fidelity: number | null;
  /** Stopped by the search at a checkpoint (no rows were sampled), and why; null otherwise. */
  readonly pruned: { readonly at_epoch: number; readonly reason: string } | null;
  /** Seconds from the first attempt's start to this one's end (null under DP). */
  readonly elapsed_seconds: number | null;
}

/** Early stopping during one training run: the checkpoints evaluated and where training stopped. */
export interface EarlyStopRecord {
  readonly every_epochs: number;
  readonly sample_rows: number;
  readonly stopped_at_epoch: number | null;
  /** Under DP a checkpoint's time is null (it grows with the private row count). */
  readonly checkpoints: readonly (Omit<CheckpointRecord, 'seconds'> & { readonly seconds: number | null })[];
  /** Why the model kept an earlier checkpoint's weights over the last ones (null: it kept the last). */
  readonly kept_reason: string | null;
  /** What was done to the run while it trained (a lower learning rate, a restart, a stop), one line each; absent in reports before these. */
  readonly actions?: readonly TrainingAction[];
}

/** A model's training summary as the report records it; under DP its times are null (they grow with the private row count). */
export interface TrainingRecord {
  readonly epochs_done: number;
  readonly epochs: number;
  readonly steps_done: number;
  readonly seconds: number | null;
  readonly steps_per_second: number | null;
  readonly samples_per_second: number | null;
  /** Stopped by the user (Ctrl-C); the model keeps what it learnt. */
  readonly stopped: boolean;
  /** Stopped by early stopping at a green checkpoint. */
  readonly early_stopped: boolean;
  /** The earlier checkpoint whose weights the model kept, because it clearly beat the last ones; null: the last weights. */
  readonly kept_epoch: number | null;
  readonly epoch_loss: number[];
  readonly threads: number;
  /** With --threads auto: how the count was chosen (absent: it was given). */
  readonly thread_choice?: ThreadChoiceRecord;
}

/** --threads auto's choice: the count that trained, each candidate's rate in the timed trial (null: not measured), and why. */
export interface ThreadChoiceRecord {
  readonly chosen: number;
  readonly rates: readonly { readonly threads: number; readonly steps_per_second: number | null }[];
  readonly reason: string;
}

/**
 * Under DP the loss curve is left out (it is computed on training rows outside the accountant), and
 * so are the times (they grow with the private row count).
 */
export function trainingRecord(fit: FitSummary | null, privateTraining = false): TrainingRecord | null {
  if (!fit) return null;
  const round = (x: number, digits: number) => (privateTraining ? null : Number(x.toFixed(digits)));
  return {
    epochs_done: fit.epochsDone,
    epochs: fit.epochs,
    steps_done: fit.stepsDone,
    seconds: round(fit.seconds, 3),
    steps_per_second: round(fit.stepsPerSecond, 3),
    samples_per_second: round(fit.samplesPerSecond, 1),
    stopped: fit.stopped,
    early_stopped: fit.earlyStopped,
    kept_epoch: fit.keptEpoch ?? null,
    epoch_loss: privateTraining ? [] : fit.epochLoss.map((x) => Number(x.toPrecision(6))),
    threads: fit.threads,
    ...(fit.threadChoice
      ? {
          thread_choice: {
            chosen: fit.threadChoice.chosen,
            rates: fit.threadChoice.rates.map((r) => ({
              threads: r.threads,
              // A rate is a time: under DP none is reported (none is measured there either).
              steps_per_second:
                privateTraining || !Number.isFinite(r.stepsPerSecond) ? null : Number(r.stepsPerSecond.toFixed(3)),
            })),
            reason: fit.threadChoice.reason,
          },
        }
      : {}),
  };
}

export interface OptimizerRecord {
  readonly mode: 'single' | 'retry' | 'search' | 'grid';
  /** How attempts after the first were chosen: the rules' changes, or the Bayesian search (null: one attempt or a grid). */
  readonly search: 'rules' | 'bayes' | null;
  /** --time-budget in seconds (null: none). */
  readonly time_budget_s: number | null;
  /** False where the time budget cut the run (the same seed may give other attempts), a preference weighed time, or --threads auto chose the thread count. */
  readonly repeatable: boolean;
  /** Why the run is not repeatable, and what would repeat it (absent where it is repeatable). */
  readonly repeatable_note?: string;
  /** Why the kept attempt was kept by a preference (--prefer) rather than the standing alone (null: by the standing). */
  readonly kept_by: string | null;
  /** The rows checkpoints and attempts were judged on: never the holdout behind the reported figures, where a choice was made. */
  readonly judged_on: 'validation split' | 'holdout' | 'public validation rows' | 'nothing';
  readonly max_attempts: number;
  readonly kept_attempt: number;
  readonly ending: string;
}

/** --ensemble: the mixture's members and weights, and whether it beat the best single attempt. */
export interface EnsembleRecord {
  readonly members: { readonly attempt: number; readonly weight: number }[];
  /** Under DP: how the members' charges compose (null without DP). */
  readonly composition: string | null;
  /** Whether the mixture's rows were written (else the best single attempt's). */
  readonly kept: boolean;
  readonly reason: string;
  readonly ensemble: { readonly quality: number | null; readonly all_green: boolean; readonly failing: number };
  readonly best: {
    readonly attempt: number;
    readonly quality: number | null;
    readonly all_green: boolean;
    readonly failing: number;
  };
}

/** generate --engine duckdb: the seeded samples of each side of the split that the metrics read. */
export interface EvaluationSampleRecord {
  /** The most rows of each side read (--privacy-sample). */
  readonly cap: number;
  readonly train_rows: number;
  readonly holdout_rows: number;
  /** How the rows were chosen. */
  readonly rule: string;
}

export interface GenerationReport {
  readonly gesalp_version: string;
  readonly report: 'generation';
  readonly created_at: string;
  /**
   * What read the input: 'duckdb' where aim was fitted on counts DuckDB computed over the file out
   * of core and the metrics read `evaluation_sample`; absent where the rows were read into memory.
   */
  readonly engine?: 'duckdb';
  /** With engine 'duckdb': the rows of each side the metrics read (null: nothing judged, as under DP). */
  readonly evaluation_sample?: EvaluationSampleRecord | null;
  readonly method: string;
  readonly method_reason: string;
  readonly parameters: ResolvedParam[];
  readonly backend: string;
  readonly seed: number;
  readonly input: InputRecord;
  readonly split: SplitRecord;
  /**
   * The synthetic file. Past a chunk's rows (CHUNK_ROWS, src/pipeline/chunked-output.ts) the rows
   * were sampled and written `chunk_rows` at a time, and the metrics judged the first `evaluated_rows`.
   */
  readonly output: {
    readonly path: string;
    readonly rows: number;
    readonly sha256: string;
    readonly chunk_rows?: number;
    readonly evaluated_rows?: number;
  };
  readonly model: {
    readonly saved_to: string | null;
    readonly loaded_from: string | null;
    /** The model this run fine-tuned (--init-from), by what it is and never by its path; null: trained from zero (absent in older reports). */
    readonly init_from?: InitFromRecord | null;
  };
  readonly training: TrainingRecord | null;
  readonly early_stop: EarlyStopRecord | null;
  readonly timings_s: Record<string, number>;
  readonly optimizer: OptimizerRecord;
  readonly attempts: AttemptRecord[];
  /** --ensemble: the members and their weights, and whether the mixture beat the best single attempt (null: not asked, or fewer than two judged attempts). */
  readonly ensemble: EnsembleRecord | null;
  /** The DP section (null for a run without a privacy budget). */
  readonly privacy: PrivacyRecord | null;
  /** Identifier and personal-data columns set aside before training: the rule that found each, and what became of it. */
  readonly identifiers: IdentifierRecord[];
  /** The metadata file's constraints: each one, the share of sampled rows that held it, the rows dropped (null: none). */
  readonly constraints: ConstraintsRecord | null;
  /**
   * The verdict as `gesalp evaluate` reports it, copied from `evaluation` (null, and no violations,
   * where nothing judged the rows: DP without public validation rows).
   */
  readonly all_green: boolean | null;
  readonly violations: Check[];
  readonly compliance_score: number | null;
  readonly quality: QualityScore | null;
  /**
   * The rows judged: against the training and holdout rows; under DP against the public validation
   * rows, or null (metrics against the private rows go to a separate file, outside the guarantee).
   */
  readonly evaluation: EvaluationReport | null;
  readonly warnings: string[];
}

/**
 * The input as the report lists it. Under DP only its path and columns are exact: `rows` is the
 * released count (`rows_from` says how), and its size and hash, which would fingerprint the private
 * rows, are null.
 */
export interface InputRecord {
  readonly path: string;
  readonly rows: number | null;
  readonly columns: number;
  readonly bytes: number | null;
  readonly sha256: string | null;
  readonly rows_from?: string;
  /** How a CSV input was read (absent under DP, for Parquet and Arrow). */
  readonly dialect?: Dialect;
}

export type GenerationReportParts = Omit<
  GenerationReport,
  'gesalp_version' | 'report' | 'created_at' | 'all_green' | 'violations' | 'compliance_score' | 'quality'
>;

export function buildGenerationReport(parts: GenerationReportParts, now = new Date()): GenerationReport {
  const seconds = Object.fromEntries(Object.entries(parts.timings_s).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  return {
    gesalp_version: VERSION,
    report: 'generation',
    created_at: now.toISOString(),
    ...parts,
    timings_s: seconds,
    all_green: parts.evaluation?.all_green ?? null,
    violations: parts.evaluation?.violations ?? [],
    compliance_score: parts.evaluation?.compliance_score ?? null,
    quality: parts.evaluation?.quality ?? null,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The report with the caller's own timings (reading the input, writing the files) added. */
export const withTimings = (report: GenerationReport, seconds: Record<string, number>): GenerationReport => ({
  ...report,
  timings_s: { ...report.timings_s, ...Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, round3(v)])) },
});
