/** The generation report put together from a finished run: its files, evaluation, attempts and privacy record. */
import type { InputFile } from '../core/io/load-inputs.js';
import type { Schema } from '../core/schema/schema.js';
import type { Table } from '../core/table.js';
import type { Evaluation } from '../metrics/evaluate.js';
import { buildEvaluationReport, type EvaluationReport } from '../metrics/evaluation-report.js';
import { buildFigures } from '../metrics/figures/figures.js';
import type { AttemptOutcome } from './attempt.js';
import { attemptRecord } from './attempt-record.js';
import { plannedAttempts } from './attempt-plan.js';
import type { AttemptSummary } from './attempts.js';
import type { WrittenRows } from './chunked-output.js';
import type { ConstraintsRecord } from './constrained-sampling.js';
import type { EnsembleRecord } from './report.js';
import { attemptsFront } from './front.js';
import type { GenerateRequest } from './generate-request.js';
import type { IdentifierRecord } from './identifier-columns.js';
import type { PrivacyBudget } from './privacy-plan.js';
import { composedPrivacy } from './init-from.js';
import { privacyRecord, type PrivacyRecord } from './privacy-record.js';
import { buildGenerationReport, trainingRecord, type GenerationReport, type InputRecord } from './report.js';
import type { SplitRecord } from './split-record.js';

/** A public table as the report lists it: no hash (it would fingerprint nothing private, but says nothing either). */
export const publicFile = (path: string, table: Table): InputFile => ({
  path,
  rows: table.rowCount,
  columns: table.columns.length,
  bytes: 0,
  sha256: '',
});

/** The synthetic file as the report lists it: every row written (in chunks, more than the metrics judged). */
function outputFile(request: GenerateRequest, output: WrittenRows): InputFile {
  return {
    path: request.outputPath,
    rows: output.rows,
    columns: output.columns,
    bytes: output.bytes,
    sha256: output.sha256,
  };
}

export async function evaluationReport(
  request: GenerateRequest,
  evaluation: Evaluation,
  parts: {
    readonly schema: Schema;
    readonly real: Table;
    readonly synthetic: Table;
    readonly files: { readonly real: InputFile; readonly holdout: InputFile | null };
    /** What was written: the synthetic file the evaluation names (past a chunk, its first chunk was judged). */
    readonly output: WrittenRows;
  },
): Promise<EvaluationReport> {
  const figures = await buildFigures(
    evaluation,
    { real: parts.real, synthetic: parts.synthetic },
    { heatmapColumns: request.heatmapColumns, seed: request.seed },
  );
  return buildEvaluationReport(evaluation, {
    files: { ...parts.files, synthetic: outputFile(request, parts.output) },
    schema: parts.schema,
    real: parts.real,
    thresholds: request.thresholds,
    configFiles: request.configFiles ?? [],
    backend: request.backend,
    seed: request.seed,
    timings: {},
    figures,
  });
}

export interface Assembly {
  readonly evaluation: EvaluationReport | null;
  readonly split: SplitRecord;
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
  readonly repeatable: boolean;
  /** Why not, and what would repeat it. */
  readonly repeatableNote?: string;
  readonly keptBy: string | null;
  readonly ensemble: EnsembleRecord | null;
  /** The rows as written (with any kept identifier's fresh values), whole or in chunks. */
  readonly output: WrittenRows;
  /** What holding the constraints cost, over every chunk written (null: none declared). */
  readonly constraints: ConstraintsRecord | null;
  readonly warnings: string[];
  readonly started: number;
  readonly privacy: PrivacyBudget | undefined;
  readonly privateOutput: boolean;
  readonly identifiers: IdentifierRecord[];
}

export function assembleReport(request: GenerateRequest, a: Assembly): GenerationReport {
  const { kept, split, evaluation } = a;
  const plan = request.plan;
  const front = a.attempts.length > 1 ? attemptsFront(a.attempts, a.privateOutput) : null;
  const output = outputFile(request, a.output);
  const chunks = a.output.chunkRows ? { chunk_rows: a.output.chunkRows, evaluated_rows: a.output.evaluatedRows } : {};
  return buildGenerationReport({
    method: kept.method,
    method_reason:
      kept.method === request.method.id
        ? request.method.reason
        : `switched from ${request.method.id} by the optimizer (${switchRule(a.attempts, kept.attempt)})`,
    parameters: kept.params,
    backend: request.backend,
    seed: request.seed,
    input: a.privateOutput ? privateInputRecord(request.input, a.privacy) : request.input,
    split,
    output: { path: output.path, rows: output.rows, sha256: output.sha256, ...chunks },
    model: {
      saved_to: request.saveTo ?? null,
      loaded_from: request.loaded?.dir ?? null,
      init_from: request.initFrom?.record ?? null,
    },
    training: trainingRecord(kept.training, a.privateOutput),
    // Under DP a checkpoint's time grows with the private row count: it is not reported.
    early_stop:
      a.privateOutput && kept.earlyStop
        ? { ...kept.earlyStop, checkpoints: kept.earlyStop.checkpoints.map((c) => ({ ...c, seconds: null })) }
        : kept.earlyStop,
    // Under DP the times grow with the private row count: none are reported.
    timings_s: a.privateOutput
      ? {}
      : {
          // A loaded model was not trained by this run: no training time to report.
          ...(request.loaded ? {} : { train: kept.seconds.train }),
          sample: kept.seconds.sample,
          // Rows past the first chunk: sampled and written a chunk at a time, after the evaluation.
          ...(a.output.chunkRows !== null ? { sample_and_write_chunks: a.output.seconds } : {}),
          evaluate: kept.seconds.evaluate,
          pipeline: (performance.now() - a.started) / 1000,
        },
    optimizer: {
      mode:
        plan.kind === 'grid' ? 'grid' : plan.kind === 'bayes' ? 'search' : plan.maxAttempts > 1 ? 'retry' : 'single',
      search: plan.kind === 'bayes' ? 'bayes' : plan.kind === 'retry' && plan.maxAttempts > 1 ? 'rules' : null,
      time_budget_s: request.search?.timeBudget ?? null,
      repeatable: a.repeatable,
      ...(a.repeatableNote ? { repeatable_note: a.repeatableNote } : {}),
      kept_by: a.keptBy,
      judged_on: a.privateOutput
        ? request.privacy?.validation
          ? 'public validation rows'
          : 'nothing'
        : split.validation
          ? 'validation split'
          : 'holdout',
      max_attempts: plannedAttempts(plan),
      kept_attempt: kept.attempt,
      ending: a.ending,
    },
    ensemble: a.ensemble,
    attempts: a.attempts.map((s, i) => attemptRecord(s, kept.attempt, front?.[i] ?? null, a.privateOutput)),
    privacy: a.privacy
      ? composed(privacyRecord(a.privacy, a.attempts, kept.attempt), request.initFrom?.privacy)
      : (request.loaded?.privacy ?? null),
    identifiers: a.identifiers,
    constraints: a.constraints,
    evaluation,
    warnings: [...a.warnings, ...(evaluation?.warnings ?? [])],
  });
}

/**
 * The input as a DP report lists it: its path and columns (public), the released row count, and
 * neither its size nor its hash, which would fingerprint the private rows.
 */
function privateInputRecord(input: InputFile, privacy: PrivacyBudget | undefined): InputRecord {
  return {
    path: input.path,
    rows: privacy?.releasedRows ?? null,
    columns: input.columns,
    bytes: null,
    sha256: null,
    rows_from: privacy ? `released: ${privacy.trainRowsHow}, before the holdout` : 'not released',
  };
}

/** The rule of the last switch of method up to the kept attempt. */
const switchRule = (attempts: readonly AttemptSummary[], kept: number): string =>
  attempts
    .filter((a) => a.attempt <= kept)
    .flatMap((a) =>
      a.changes.filter((c) => c.param === 'method').map((c) => `${c.rule}, after attempt ${a.attempt - 1}`),
    )
    .pop() ?? 'an earlier attempt';

/** A DP run that fine-tuned a DP model states both runs' totals together (init-from.ts). */
const composed = (record: PrivacyRecord, earlier: PrivacyRecord | null | undefined): PrivacyRecord =>
  earlier ? composedPrivacy(record, earlier) : record;
