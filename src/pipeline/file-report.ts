/**
 * The generation report of `generate FILE --engine duckdb`, through the one builder
 * (buildGenerationReport): one attempt (the AIM fit), optimizer mode 'single', the split record,
 * the output with its chunks, the privacy record, the identifiers set aside, and the evaluation on
 * the seeded side samples (outside DP), with `engine` and `evaluation_sample` saying so.
 */
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import { trainingRecord, buildGenerationReport, type AttemptRecord, type GenerationReport } from './report.js';
import type { FileGenerateResult } from './file-generate.js';

/** How the side samples are chosen (file-split.ts, writeSideSample). */
export const SAMPLE_RULE = "a reservoir sample of each side's rows under the seed";

export interface FileReportRun {
  readonly result: FileGenerateResult;
  /** The metrics on the samples (null under DP: they read private rows). */
  readonly evaluation: EvaluationReport | null;
  readonly methodReason: string;
  readonly parameters: ResolvedParam[];
  readonly seed: number;
  /** Where the rows went ('-': stdout or the caller's hook). */
  readonly outputPath: string;
  readonly seconds: { readonly evaluate: number; readonly pipeline: number };
  readonly warnings: readonly string[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function fileGenerationReport(run: FileReportRun): GenerationReport {
  const { result, evaluation } = run;
  const privateRun = result.privacy !== null;
  const { output, split } = result;
  const chunks =
    output.chunkRows !== null ? { chunk_rows: output.chunkRows, evaluated_rows: output.evaluatedRows } : {};
  return buildGenerationReport({
    engine: 'duckdb',
    evaluation_sample: evaluation
      ? {
          cap: result.samples.cap,
          train_rows: result.samples.train_rows,
          holdout_rows: result.samples.holdout_rows,
          rule: SAMPLE_RULE,
        }
      : null,
    method: 'aim',
    method_reason: run.methodReason,
    parameters: run.parameters,
    backend: 'cpu',
    seed: run.seed,
    input: result.privacy
      ? {
          path: result.input.path,
          rows: result.privacy.input_rows,
          columns: result.columns.length + result.identifiers.length,
          bytes: null,
          sha256: null,
          rows_from: `released: ${result.privacy.training_rows_from}, over the training share`,
        }
      : {
          path: result.input.path,
          rows: split.rows,
          columns: result.columns.length + result.identifiers.length,
          bytes: result.input.bytes,
          sha256: result.input.sha256,
          ...(result.dialect ? { dialect: result.dialect } : {}),
        },
    split,
    output: { path: run.outputPath, rows: output.rows, sha256: output.sha256, ...chunks },
    model: { saved_to: null, loaded_from: null, init_from: null },
    training: trainingRecord(result.fit.training, privateRun),
    early_stop: null,
    // Under DP the times grow with the private row count: none are reported.
    timings_s: privateRun
      ? {}
      : {
          train: result.seconds.train,
          sample: result.seconds.sample,
          ...(output.chunkRows !== null ? { sample_and_write_chunks: result.seconds.chunks } : {}),
          evaluate: run.seconds.evaluate,
          pipeline: run.seconds.pipeline,
        },
    optimizer: {
      mode: 'single',
      search: null,
      time_budget_s: null,
      repeatable: true,
      kept_by: null,
      judged_on: privateRun ? 'nothing' : 'holdout',
      max_attempts: 1,
      kept_attempt: 1,
      ending: evaluation ? (evaluation.all_green ? 'all green' : 'not all green') : 'one fit, judged by nothing',
    },
    attempts: [attempt(run, privateRun)],
    ensemble: null,
    privacy: result.privacy,
    identifiers: result.identifiers,
    constraints: null,
    evaluation,
    warnings: [...run.warnings, ...(evaluation?.warnings ?? [])],
  });
}

/** The one attempt: the AIM fit, judged on the samples (outside DP). */
function attempt(run: FileReportRun, privateRun: boolean): AttemptRecord {
  const { result, evaluation } = run;
  const training = result.fit.training;
  return {
    attempt: 1,
    method: 'aim',
    parameters: Object.fromEntries(run.parameters.map((p) => [p.name, p.value])),
    changes: [],
    all_green: evaluation ? evaluation.all_green : null,
    violations: evaluation?.violations ?? [],
    metrics: Object.fromEntries(
      Object.entries(evaluation?.metrics ?? {}).map(([id, m]) => [id, m.value === null ? null : round3(m.value)]),
    ),
    epochs_done: training.epochsDone,
    early_stopped_at: null,
    samples_at_edges: evaluation?.violations.some((v) => v.metric === 'sample_spread' && v.status === 'fail') ?? false,
    train_seconds: privateRun ? null : round3(result.seconds.train),
    sample_seconds: privateRun ? null : round3(result.seconds.sample),
    diagnoses: [],
    kept: true,
    epsilon: result.privacy?.attempt_epsilon ?? null,
    pareto_front: null,
    proposal: 'start',
    quality: evaluation?.quality ? round3(evaluation.quality.score) : null,
    search_loss: null,
    fidelity: training.epochs > 0 ? round3(training.epochsDone / training.epochs) : null,
    pruned: null,
    elapsed_seconds: privateRun ? null : round3(result.seconds.train + result.seconds.sample),
  };
}
