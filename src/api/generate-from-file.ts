/**
 * generate from a CSV or Parquet file out of core, as a library call (`gesalp generate FILE
 * --method aim --engine duckdb`): AIM fitted on counts DuckDB computes over the training side of
 * the file, rows written whole or a chunk at a time to `out` (or the `rows` hook), and, outside DP,
 * the metrics of evaluate on seeded samples of at most `privacy_sample` rows of each side against
 * the first chunk. Memory does not grow with the file: DuckDB holds the file's cells in a temporary
 * table that spills to disk past `memory_limit`; what gesalp holds is the model, a chunk of rows and
 * the samples. The answer has the
 * shape of generate's (GenerateOutput), its report the one generation report.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionError, usageError } from '../core/errors.js';
import { lazyAtomicFile } from '../core/io/atomic-write.js';
import { tableToCsv } from '../core/io/write-csv.js';
import { describeDialect, type DialectRequest } from '../core/io/dialect.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../metrics/privacy-sample.js';
import type { Thresholds } from '../metrics/thresholds.js';
import { AIM_FIXED_DEFAULTS, AIM_SPACE } from '../models/aim/space.js';
import { REGISTRY } from '../models/registry.js';
import { resolveParams, type ResolvedParam } from '../models/resolve-params.js';
import type { FileGenerateResult } from '../pipeline/file-generate.js';
import type { PrivateEvaluation } from '../pipeline/private-evaluation.js';
import type { SplitRecord } from '../pipeline/split-record.js';
import { evaluate } from './evaluate.js';
import { overridesOf } from './generate-checks.js';
import type { GenerateOutput, ParamSetting } from './generate.js';
import type { ApiHooks } from './hooks.js';

export interface GenerateFromFileOptions {
  /** aim, or auto (which picks aim: the method fitted on counts). */
  readonly method?: string;
  /** AIM's parameters: a value, or a value and where it came from (the report says so). */
  readonly params?: Readonly<Record<string, ParamSetting>>;
  readonly rows?: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly metadata?: TableMetadata;
  readonly seed?: number;
  readonly holdout_fraction?: number;
  /** Rows of each side the metrics read (default 20,000, SPEC section 3). */
  readonly privacy_sample?: number;
  /** DuckDB's memory limit, e.g. '1GB' (default: DuckDB's, 80 % of the machine's memory). */
  readonly memory_limit?: string;
  readonly out?: string;
  /** The rows' path as the report names it (default `out`, else '-'). */
  readonly output_path?: string;
  readonly excel_safe?: boolean;
  /** The checks and their thresholds, the files they came from, ML efficacy's target, the heatmaps' columns: as evaluate takes them. */
  readonly thresholds?: Thresholds;
  readonly config_files?: readonly string[];
  readonly target?: string;
  readonly heatmap_columns?: number;
  /** The CSV dialect (delimiter, quote; decimal '.', UTF-8): the rest is sniffed as generate sniffs it. */
  readonly dialect?: DialectRequest;
  /** Detect identifier and personal-data columns (default true): outside DP from a seeded sample's values, under DP from the names. */
  readonly id_detection?: boolean;
  /**
   * Under DP: also the metrics of the samples against the first chunk, with the exact split, as
   * `private_evaluation`: NOT covered by the guarantee (SPEC section 8).
   */
  readonly private_report?: boolean;
}

const DETECTION_OFF =
  'identifier detection is off: a column that identifies people (a key, an email, a name) is learned like any other, and its real values can be copied into the synthetic rows';

export type GenerateFromFileHooks = ApiHooks & {
  readonly rows?: (text: string) => void | Promise<void>;
};

export async function generateFromFile(
  input: string,
  options: GenerateFromFileOptions = {},
  hooks: GenerateFromFileHooks = {},
): Promise<GenerateOutput> {
  const { generateFromFile: generate } = await import('../pipeline/file-generate.js');
  const { fileGenerationReport } = await import('../pipeline/file-report.js');
  const method = options.method ?? 'aim';
  if (method !== 'aim' && method !== 'auto')
    throw usageError(
      `method ${method} trains on rows in memory; the out-of-core engine fits aim only`,
      'Use method aim, or the in-memory engine.',
    );
  // Constraints are held by rejection sampling on the in-memory path only: refused rather than ignored.
  if (options.metadata?.constraints?.length)
    throw usageError(
      'the metadata file declares constraints, which the out-of-core engine does not hold',
      'Drop the constraints from the metadata file, or generate with the in-memory engine.',
    );
  if (options.private_report && options.epsilon === undefined)
    throw optionError(
      'usage',
      'private_report',
      '{private_report} applies only under DP: without it the report holds these metrics already',
      'Add {epsilon} E to fit with DP, or drop {private_report}.',
      ['epsilon'],
    );
  if (options.id_detection === false) hooks.warn?.(DETECTION_OFF);
  const started = performance.now();
  const seed = options.seed ?? 0;
  const cap = options.privacy_sample ?? DEFAULT_PRIVACY_SAMPLE;
  const parameters = aimParameters(options.params);
  const out = options.out ? lazyAtomicFile(options.out) : undefined;
  const rowsSink = out ?? (hooks.rows ? { write: hooks.rows } : undefined);
  const sampleDir = await mkdtemp(join(tmpdir(), 'gesalp-samples-'));
  try {
    const result = await generate({
      path: input,
      params: Object.fromEntries(parameters.map((p) => [p.name, p.value])),
      rows: options.rows,
      epsilon: options.epsilon,
      delta: options.delta,
      metadata: options.metadata,
      seed,
      holdoutFraction: options.holdout_fraction ?? 0.2,
      evaluationRows: cap,
      sampleDir,
      memoryLimit: options.memory_limit,
      signal: hooks.signal,
      rowsSink,
      excelSafe: options.excel_safe,
      dialect: options.dialect,
      idDetection: options.id_detection,
      privateReport: options.private_report,
      warn: (text) => hooks.warn?.(text),
    });
    if (result.dialect) hooks.info?.(describeDialect(input, result.dialect));
    const streamed = result.output.chunkRows !== null;
    if (out) {
      if (!streamed) await out.write(result.csv);
      await out.commit();
    }
    const evaluateStarted = performance.now();
    // Under DP the samples are private rows: their metrics are outside the guarantee, so none is reported here.
    const judged =
      options.epsilon === undefined || options.private_report
        ? await sampleEvaluation(result, options, sampleDir, hooks)
        : null;
    const evaluation = options.epsilon === undefined ? judged : null;
    const outputPath = options.output_path ?? options.out ?? '-';
    const report = fileGenerationReport({
      result,
      evaluation: evaluation && labelled(evaluation, result, outputPath),
      methodReason:
        method === 'auto' ? 'auto with the out-of-core engine: aim, the method fitted on counts' : 'chosen by name',
      parameters,
      seed,
      outputPath,
      seconds: {
        evaluate: (performance.now() - evaluateStarted) / 1000,
        pipeline: (performance.now() - started) / 1000,
      },
      warnings: [...result.said, ...(options.id_detection === false ? [DETECTION_OFF] : [])],
    });
    const { PRIVATE_EVALUATION_NOTICE: notice } = await import('../pipeline/private-evaluation.js');
    const privateEvaluation =
      judged && result.privateSplit ? privateReport(judged, result, result.privateSplit, outputPath, notice) : null;
    return { report, synthetic: result.table, csv: result.csv, streamed, private_evaluation: privateEvaluation };
  } finally {
    await out?.abort();
    await rm(sampleDir, { recursive: true, force: true });
  }
}

/** Under DP: the metrics on the samples with the exact split, apart from every DP release and marked so. */
function privateReport(
  evaluation: EvaluationReport,
  result: FileGenerateResult,
  split: SplitRecord,
  outputPath: string,
  notice: string,
): PrivateEvaluation {
  const exact = { ...result, input: { ...result.input, sha256: split.input_sha256 } };
  return {
    report: 'private_evaluation',
    covered_by_privacy_guarantee: false,
    notice,
    input: {
      path: result.input.path,
      rows: split.rows ?? 0,
      columns: result.columns.length + result.identifiers.length,
      bytes: 0,
      sha256: split.input_sha256 ?? '',
    },
    split,
    evaluation: labelled(evaluation, exact, outputPath),
  };
}

/**
 * AIM's parameters in the order of its space, each with where it came from: the user's, checked and
 * parsed as generate checks them (overridesOf), over AIM's fixed defaults.
 */
function aimParameters(params: GenerateFromFileOptions['params']): ResolvedParam[] {
  const defaults = Object.fromEntries(
    Object.entries(AIM_FIXED_DEFAULTS).map(([name, value]) => [name, { value, rule: 'default' }]),
  );
  return resolveParams(AIM_SPACE, defaults, overridesOf({ params }, REGISTRY.get('aim')));
}

/** evaluate's report of the first chunk against the seeded samples of each side. */
async function sampleEvaluation(
  result: FileGenerateResult,
  options: GenerateFromFileOptions,
  sampleDir: string,
  hooks: GenerateFromFileHooks,
): Promise<EvaluationReport> {
  const synthetic = join(sampleDir, 'synthetic-sample.csv');
  await writeFile(synthetic, tableToCsv(result.table));
  return evaluate(
    result.samples.train,
    synthetic,
    {
      holdout: result.samples.holdout ?? undefined,
      seed: options.seed ?? 0,
      privacy_sample: result.samples.cap,
      thresholds: options.thresholds,
      config_files: options.config_files,
      target: options.target,
      heatmap_columns: options.heatmap_columns,
    },
    { signal: hooks.signal },
  );
}

/**
 * The evaluation's inputs named as what they are (not the temporary sample files): each side of
 * the input's split, sampled, with the file's size and hash; the synthetic file as written.
 */
function labelled(evaluation: EvaluationReport, result: FileGenerateResult, outputPath: string): EvaluationReport {
  const file = { bytes: result.input.bytes ?? 0, sha256: result.input.sha256 ?? '' };
  const side = (name: string, rows: number) => ({
    path: `${result.input.path} (${name} side, seeded sample)`,
    rows,
    columns: result.columns.length,
    ...file,
  });
  const { inputs } = evaluation;
  return {
    ...evaluation,
    inputs: {
      real: side('training', inputs.real.rows),
      holdout: inputs.holdout ? side('holdout', inputs.holdout.rows) : null,
      synthetic: {
        path: outputPath,
        rows: result.output.rows,
        columns: result.output.columns,
        bytes: result.output.bytes,
        sha256: result.output.sha256,
      },
    },
  };
}
