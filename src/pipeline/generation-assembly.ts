/** The generation report put together from a finished run: its files, evaluation, attempts and privacy record. */
import { createHash } from 'node:crypto';
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
import type { EnsembleRecord } from './report.js';
import { attemptsFront } from './front.js';
import type { GenerateRequest } from './generate-request.js';
import type { IdentifierRecord } from './identifier-columns.js';
import type { PrivacyBudget } from './privacy-plan.js';
import { privacyRecord } from './privacy-record.js';
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

/** The synthetic file as the report lists it. */
function outputFile(request: GenerateRequest, synthetic: Table, csv: string): InputFile {
  return {
    path: request.outputPath,
    rows: synthetic.rowCount,
    columns: synthetic.columns.length,
    bytes: Buffer.byteLength(csv),
    sha256: createHash('sha256').update(csv).digest('hex'),
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
    readonly csv: string;
  },
): Promise<EvaluationReport> {
  const figures = await buildFigures(
    evaluation,
    { real: parts.real, synthetic: parts.synthetic },
    { heatmapColumns: request.heatmapColumns, seed: request.seed },
  );
  return buildEvaluationReport(evaluation, {
    files: { ...parts.files, synthetic: outputFile(request, parts.synthetic, parts.csv) },
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
  readonly keptBy: string | null;
  readonly ensemble: EnsembleRecord | null;
  readonly csv: string;
  readonly warnings: string[];
  readonly started: number;
  readonly privacy: PrivacyBudget | undefined;
  readonly privateOutput: boolean;
  readonly identifiers: IdentifierRecord[];
  /** The rows as written (with any kept identifier's fresh values). */
  readonly written: Table;
}

export function assembleReport(request: GenerateRequest, a: Assembly): GenerationReport {
  const { kept, split, csv, evaluation } = a;
  const plan = request.plan;
  const front = a.attempts.length > 1 ? attemptsFront(a.attempts, a.privateOutput) : null;
  const output = outputFile(request, a.written, csv);
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
    output: { path: output.path, rows: output.rows, sha256: output.sha256 },
    model: { saved_to: request.saveTo ?? null, loaded_from: request.loaded?.dir ?? null },
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
          evaluate: kept.seconds.evaluate,
          pipeline: (performance.now() - a.started) / 1000,
        },
    optimizer: {
      mode:
        plan.kind === 'grid' ? 'grid' : plan.kind === 'bayes' ? 'search' : plan.maxAttempts > 1 ? 'retry' : 'single',
      search: plan.kind === 'bayes' ? 'bayes' : plan.kind === 'retry' && plan.maxAttempts > 1 ? 'rules' : null,
      time_budget_s: request.search?.timeBudget ?? null,
      repeatable: a.repeatable,
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
    privacy: a.privacy ? privacyRecord(a.privacy, a.attempts, kept.attempt) : (request.loaded?.privacy ?? null),
    identifiers: a.identifiers,
    constraints: kept.constraints,
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
