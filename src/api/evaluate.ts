/**
 * evaluate as a library call (SPEC sections 3-4): a real and a synthetic table in, the metrics,
 * the checks and the verdict out, as the JSON report `gesalp evaluate --json` prints. The command
 * is this call plus its flags, files and rendering.
 */
import type { BackendChoice } from '../core/backend-names.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../metrics/thresholds.js';
import { describeDialect } from '../core/io/dialect.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import { detectIdentifiers } from '../core/schema/identifiers.js';
import { readInputs, type TableInput, type TableReading } from './inputs.js';
import type { ApiHooks } from './hooks.js';
import { declarationOf } from './metadata.js';
import { checkTargetColumns } from './target-columns.js';

/** `dialect` describes REAL and the holdout; SYNTHETIC, as gesalp writes it, is sniffed. */
export interface EvaluateOptions extends TableReading {
  /** Real rows NOT used in training (dcr_train_share and mia_auc need them). */
  readonly holdout?: TableInput;
  /** A generate report whose split rebuilds the training and holdout rows from REAL, the original input. */
  readonly split?: string;
  /** Every check and its threshold (default: the SPEC's); a metric left out is not checked. */
  readonly thresholds?: Thresholds;
  /** The config files the thresholds came from, for the report. */
  readonly config_files?: readonly string[];
  /** Adds ML efficacy: train on real and on synthetic rows to predict this column. */
  readonly target?: string;
  /** Attacks per side for the singling-out, linkability and inference risks. */
  readonly attacks?: number;
  /** The column the inference attack guesses (default: the target, else the last column). */
  readonly secret?: string;
  /** Rows per set for the distance metrics. */
  readonly privacy_sample?: number;
  readonly seed?: number;
  readonly backend?: BackendChoice;
  readonly threads?: number;
  /** Columns in the association heatmaps. */
  readonly heatmap_columns?: number;
}

export async function evaluate(
  real: TableInput,
  synthetic: TableInput,
  options: EvaluateOptions = {},
  hooks: ApiHooks = {},
): Promise<EvaluationReport> {
  // Loaded on use (TensorFlow.js is paid for by the calls that need it), one after another: parallel
  // dynamic imports race in Jest's ESM loader ("not in cache"), where library users run their tests.
  const { useBackend } = await import('../core/backend.js');
  const { evaluateTables } = await import('../metrics/evaluate.js');
  const { buildEvaluationReport } = await import('../metrics/evaluation-report.js');
  const { buildFigures } = await import('../metrics/figures/figures.js');
  const splitRecords = await import('../pipeline/split-record.js');
  const info = (text: string) => hooks.info?.(text);
  const seed = options.seed ?? 0;
  const thresholds = options.thresholds ?? { ...DEFAULT_THRESHOLDS };
  const splitRecord = options.split ? await splitRecords.readSplitRecord(options.split) : undefined;
  const started = performance.now();
  const metadata = declarationOf(options.metadata, 'metadata', false);
  const loaded = await readInputs([real, synthetic, ...(options.holdout ? [options.holdout] : [])], {
    discrete: options.discrete,
    continuous: options.continuous,
    ...(metadata ? { metadata } : {}),
    dialect: options.dialect,
    dialectInputs: [0, 2],
    onRead: (file) => file.dialect && info(describeDialect(file.path, file.dialect)),
  });
  hooks.signal?.throwIfAborted();
  let [realTable, holdout] = [loaded.tables[0], loaded.tables[2] as (typeof loaded.tables)[number] | undefined];
  let files = loaded.files;
  if (splitRecord) {
    if (splitRecord.input_sha256 === null)
      hooks.warn?.(
        `${options.split} is the report of a DP run: these metrics read its private training and holdout rows exactly, and are NOT covered by its differential privacy guarantee`,
      );
    ({
      real: realTable,
      holdout,
      files,
    } = splitRecords.applySplitRecord(splitRecord, loaded.tables[0], files, options.split!));
  }
  checkTargetColumns(realTable, options);
  const readSeconds = (performance.now() - started) / 1000;
  for (const file of files)
    info(`read ${file.path}: ${file.rows.toLocaleString('en-US')} rows x ${file.columns} columns`);
  const backend = await useBackend(options.backend);
  info(`backend: ${backend.name}`);
  const identifiers = detectIdentifiers(realTable, true);
  for (const f of identifiers)
    hooks.warn?.(
      `column '${f.column}' ${f.kind === 'pii' ? 'holds personal data' : 'looks like an identifier'}: ${f.rule}. A synthetic table should not carry it (gesalp generate drops it; a copied value counts in dup_rate and mia_auc)`,
    );
  const evaluation = await evaluateTables(realTable, loaded.tables[1], holdout, {
    thresholds,
    backend: backend.name,
    seed,
    privacySample: options.privacy_sample,
    threads: options.threads,
    target: options.target,
    attacks: { attacks: options.attacks, secret: options.secret },
  });
  hooks.signal?.throwIfAborted();
  const figuresStart = performance.now();
  const figures = await buildFigures(
    evaluation,
    { real: realTable, synthetic: loaded.tables[1] },
    { heatmapColumns: options.heatmap_columns, seed },
  );
  const figuresSeconds = (performance.now() - figuresStart) / 1000;
  return buildEvaluationReport(evaluation, {
    files: { real: files[0], synthetic: files[1], holdout: files[2] ?? null },
    schema: loaded.schema,
    real: realTable,
    thresholds,
    ...(options.config_files ? { configFiles: options.config_files } : {}),
    backend: backend.name,
    seed,
    timings: { read: readSeconds, figures: figuresSeconds, total: (performance.now() - started) / 1000 },
    figures,
    identifiers,
  });
}
