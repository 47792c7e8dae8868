/**
 * generate as a library call (ARCHITECTURE: `generate(table, request, hooks)`): split, parameter
 * resolution, the attempt plan, and the assembled report. It touches no file, terminal or process:
 * the command reads the input, writes what this returns and renders it.
 */
import { createHash } from 'node:crypto';
import type { BackendName } from '../core/backend-names.js';
import type { Thresholds } from '../metrics/thresholds.js';
import { recodeToStatistics } from '../core/column-statistics.js';
import { GesalpError, inputError, usageError } from '../core/errors.js';
import type { InputFile } from '../core/io/load-inputs.js';
import { countFormulaCells, tableToCsv } from '../core/io/write-csv.js';
import { buildEvaluationReport } from '../metrics/evaluation-report.js';
import { buildFigures } from '../metrics/figures/figures.js';
import type { Evaluation } from '../metrics/evaluate.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import { recastTable } from '../core/schema/recast.js';
import type { Schema } from '../core/schema/schema.js';
import { takeRows, type Table } from '../core/table.js';
import { formatCount } from '../core/text/format.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type MethodChoice, type MethodId, type Registry } from '../models/registry.js';
import { paramValues, resolveParams, type ResolvedParam } from '../models/resolve-params.js';
import { fidelityRows } from './fidelity-rows.js';
import { columnTemplate } from '../models/column-template.js';
import { resolveCondition, type SampleCondition } from '../models/conditional-sampling.js';
import type { FitProgress, Synthesizer } from '../models/synthesizer.js';
import { sizeDefaults } from '../optimizer/size-defaults.js';
import { fewEpochsWarning } from '../optimizer/suggest.js';
import { evaluateAgainstInput, type AttemptContext, type AttemptOutcome } from './attempt.js';
import { runAttempts, type AttemptPlan, type AttemptSummary } from './attempts.js';
import { paretoFront } from '../optimizer/pareto.js';
import {
  checkGridBudget,
  planPrivacy,
  releasedKinds,
  type PrivacyBudget,
  type PrivacyRequest,
} from './privacy-plan.js';
import { privacyRecord, type PrivacyRecord } from './privacy-record.js';
import { statisticsTemplate } from './private-templates.js';
import {
  DETECT_IDENTIFIERS,
  setAsideIdentifiers,
  withFreshIdentifiers,
  type IdentifierRecord,
  type IdentifierRequest,
} from './identifier-columns.js';
import {
  attemptRecord,
  buildGenerationReport,
  trainingRecord,
  type GenerationReport,
  type InputRecord,
} from './report.js';
import { planSplit, savedSplit, splitFiles, wholeTable, type SplitRecord } from './split-record.js';
import { bindConstraints, checkConstraintKinds } from '../core/schema/constraint-rows.js';
import { constraintsLine } from './constrained-sampling.js';

export interface GenerateRequest {
  readonly method: MethodChoice;
  /** The methods to train and switch between (default: the shipped ones). */
  readonly registry?: Registry;
  /** The input's fingerprint (path, rows, hash) and schema, for the split and the report. */
  readonly input: InputFile;
  readonly schema: Schema;
  /** What the user declared about the columns (the metadata file, public bounds, --discrete/--continuous): public. */
  readonly metadata?: TableMetadata;
  /** Rows to sample (of each value, with a condition); absent: as many as the input holds (under DP, as released). */
  readonly rows?: number;
  /** --condition: only rows with these values of one categorical column. */
  readonly condition?: SampleCondition;
  /** Parameters the user set, each with where it came from; the rest come from the size defaults. */
  readonly overrides: readonly ResolvedParam[];
  readonly plan: AttemptPlan;
  /** Train with DP-SGD under this budget (none: ordinary training). */
  readonly privacy?: PrivacyRequest;
  readonly holdoutFraction: number;
  readonly thresholds: Thresholds;
  /** The config files the thresholds came from, for the report. */
  readonly configFiles?: readonly string[];
  readonly backend: BackendName;
  readonly seed: number;
  /** The split's key (SPEC section 8); absent: the seed. */
  readonly splitKey?: number;
  /** The validation split's share where the run makes choices (default 0.1; SPEC section 9). */
  readonly validationFraction?: number;
  /** Identifier and personal-data columns: detected (default) and dropped, or kept with fresh values. */
  readonly identifiers?: IdentifierRequest;
  /** Under DP: also evaluate the kept rows against the private training and holdout rows, outside the guarantee. */
  readonly privateReport?: boolean;
  readonly threads: number;
  readonly earlyStop: boolean;
  /** False: judge nothing (sampling from a saved model with --no-eval). Default true. */
  readonly evaluate?: boolean;
  /** A model to sample from instead of training, with the split it was trained on (if known) and its DP record (if any). */
  readonly loaded?: {
    readonly model: Synthesizer;
    readonly split: SplitRecord | null;
    readonly privacy: PrivacyRecord | null;
    readonly dir: string;
  };
  /** Where the caller will save the kept model and write the rows, for the report. */
  readonly saveTo?: string;
  readonly outputPath: string;
  /** Prefix cells a spreadsheet would read as a formula with a quote. */
  readonly excelSafe?: boolean;
  /** Columns in the report's association heatmaps (default 20). */
  readonly heatmapColumns?: number;
  /** The column ML efficacy predicts (none: ml_efficacy does not apply). */
  readonly target?: string;
  /** Makes each attempt's model; default: the registry's model of `method`. */
  readonly create?: (method: MethodId, params: Readonly<Record<string, number>>) => Promise<Synthesizer>;
  /** Aborted: training stops after the current step and the rows come from what was learnt. */
  readonly stopTraining: AbortSignal;
  /** Aborted: everything stops and nothing is returned (an interrupted error). */
  readonly stopAll: AbortSignal;
}

export interface GenerateHooks {
  readonly info?: (text: string) => void;
  readonly warn?: (text: string) => void;
  /** Before training: the parameters of the first attempt and the split. */
  readonly planned?: (params: readonly ResolvedParam[], split: SplitRecord) => void;
  readonly estimate?: (seconds: number) => void;
  readonly training?: (progress: FitProgress) => void;
  readonly sampling?: (done: number, total: number, seconds: number) => void;
  readonly attemptDone?: (attempt: AttemptSummary) => void;
}

/** Under DP: the metrics against the private rows, which the guarantee does not cover (SPEC section 8). */
export interface PrivateEvaluation {
  readonly report: 'private_evaluation';
  readonly covered_by_privacy_guarantee: false;
  readonly notice: string;
  readonly input: InputFile;
  readonly split: SplitRecord;
  readonly evaluation: EvaluationReport;
}

export const PRIVATE_EVALUATION_NOTICE =
  'NOT COVERED BY THE DIFFERENTIAL PRIVACY GUARANTEE: these metrics read the private training and holdout rows exactly. Keep this file with the input, never with the synthetic rows.';

export interface GenerateResult {
  readonly report: GenerationReport;
  /** Present when asked for under DP (privateReport): keep it apart from the DP releases. */
  readonly privateEvaluation: PrivateEvaluation | null;
  /** The synthetic rows as CSV, what the report's output hash describes. */
  readonly csv: string;
  readonly synthetic: Table;
  /** The kept attempt's model (the loaded one, or a new one): the caller saves and disposes it. */
  readonly model: Synthesizer;
  readonly split: SplitRecord;
}

/** The descriptor of the request's method, in the request's registry. */
const methodOf = (request: GenerateRequest): MethodDescriptor => (request.registry ?? REGISTRY).get(request.method.id);

export async function generate(
  read: Table,
  request: GenerateRequest,
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  const started = performance.now();
  const registry = request.registry ?? REGISTRY;
  const method = methodOf(request);
  if (request.privacy && !request.loaded && !method.capabilities.dp)
    throw usageError(
      `method ${method.id} cannot train under a privacy budget`,
      `Train ${method.id} without one, or choose a method that trains under DP (${registry.methods
        .filter((m) => m.capabilities.dp)
        .map((m) => m.id)
        .join(', ')}).`,
    );
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    hooks.warn?.(text);
  };
  // A DP run, or sampling from a DP model: only DP releases go to the default report (SPEC section 8).
  const privateOutput = Boolean((request.privacy && !request.loaded) || request.loaded?.privacy);
  const aside = setAsideIdentifiers(
    read,
    request.metadata,
    request.identifiers ?? DETECT_IDENTIFIERS,
    Boolean(request.privacy) && !request.loaded,
  );
  for (const line of aside.said) warn(line);
  if (request.identifiers && !request.identifiers.detect)
    warn(
      'identifier detection is off: a column that identifies people (a key, an email, a name) is learned like any other, and its real values can be copied into the synthetic rows',
    );
  let table = aside.table;
  if (request.loaded) checkColumns(request.loaded.model, table, request);
  // Before training: a condition the table cannot hold fails now; under DP against released levels only.
  // (A DP model checks it against its own released levels when it samples.)
  if (request.condition && !privateOutput) resolveCondition(request.condition, table.columns.map(columnTemplate));
  if (request.privacy) checkPrivateOverrides(method, request.overrides, request.plan, request.privacy);
  const { record: split, split: rows } = chooseSplit(table, request, warn, privateOutput);
  let train = rows.holdout.length || rows.validation.length ? takeRows(table, rows.train) : table;
  let holdout = rows.holdout.length ? takeRows(table, rows.holdout) : undefined;
  const validationSplit = rows.validation.length ? takeRows(table, rows.validation) : undefined;
  // Before any budget is spent: under DP a fixed combination may not read the rows it allows.
  const constraints = bindConstraints(request.metadata?.constraints, {
    train: privateOutput ? undefined : train,
    setAside: aside.records.map((r) => r.column),
  });
  const learnt = new Set(table.columns.map((c) => c.name));
  let schema: Schema = { columns: request.schema.columns.filter((c) => learnt.has(c.name)) };
  let validation: Table | undefined;
  const privacy =
    request.privacy && !request.loaded
      ? await privatePlan({ train, table }, request, request.privacy, hooks)
      : undefined;
  if (privacy) {
    // Every table of the run takes the released kinds; nothing of how the file was first read counts.
    const kinds = releasedKinds(privacy);
    [table, train] = [recastTable(table, kinds), recastTable(train, kinds)];
    holdout = holdout && recastTable(holdout, kinds);
    // The public rows are read beside the private file (one encoder, one level list per column): recoded
    // onto the released levels, nothing of that list's unreleased categories reaches the report.
    validation =
      request.privacy?.validation &&
      recodeToStatistics(recastTable(request.privacy.validation.table, kinds), privacy.statistics);
    schema = { columns: privacy.schema };
    checkConstraintKinds(constraints, table);
    if (request.condition) resolveCondition(request.condition, privacy.statistics.map(statisticsTemplate));
  }
  const trainRows = privacy ? privacy.trainRows : train.rowCount;
  const params = request.loaded
    ? savedParams(request.loaded.model)
    : resolveParams(
        method.space,
        sizeDefaults(method, trainRows, table.columns.length, Boolean(request.privacy)),
        request.overrides,
      );
  const few =
    request.loaded || !method.capabilities.trainsByEpochs ? null : fewEpochsWarning(paramValues(params).n_iter);
  if (few) warn(few);
  const heavy = request.loaded ? null : ((await method.memoryWarning?.(table, paramValues(params))) ?? null);
  if (heavy) warn(heavy);
  if (!request.loaded && request.holdoutFraction === 0)
    warn(
      'every row trains the model (holdout fraction 0), so mia_auc needs an external holdout (gesalp evaluate --holdout)',
    );
  hooks.planned?.(params, split);
  const sampleRows = rowsToSample(
    request.rows ?? privacy?.releasedRows ?? request.loaded?.privacy?.input_rows ?? table.rowCount,
    table.columns.length,
    request.condition?.values.length ?? 1,
  );

  const context: AttemptContext = {
    train,
    holdout,
    table,
    rows: sampleRows,
    condition: request.condition,
    constraints,
    fidelityRows: privateOutput
      ? undefined
      : fidelityRows({ train, table }, request.condition, request.seed, {
          info: (text) => hooks.info?.(text),
          warn,
        }),
    thresholds: request.thresholds,
    target: request.target,
    backend: request.backend,
    seed: request.seed,
    threads: request.threads,
    earlyStop: request.earlyStop && !request.loaded,
    evaluate: request.evaluate !== false,
    privacy,
    privateOutput,
    validation,
    validationSplit,
    stopTraining: request.stopTraining,
    stopAll: request.stopAll,
    registry,
    create: request.create ?? ((id, values) => registry.get(id).create(values)),
    defaultsFor: (id) => {
      const switched = registry.get(id);
      return resolveParams(
        switched.space,
        sizeDefaults(switched, trainRows, table.columns.length, Boolean(request.privacy)),
        [],
      );
    },
    onEstimate: hooks.estimate,
    onTraining: hooks.training,
    onSampling: hooks.sampling,
  };
  let loop;
  try {
    loop = await runAttempts(
      context,
      request.plan,
      { method: request.method.id, params, epsilon: privacy ? privacy.request.epsilon : null },
      {
        info: (text) => hooks.info?.(text),
        warn: (text) => hooks.warn?.(text),
        attemptDone: (a) => hooks.attemptDone?.(a),
      },
      request.loaded?.model,
    );
  } catch (error) {
    if (request.stopAll.aborted) throw new GesalpError('interrupted', 'stopped by Ctrl-C; nothing was written');
    throw error;
  }
  const kept = loop.kept;
  if (kept.constraints) hooks.info?.(constraintsLine(kept.constraints));
  // What is written: the sampled rows and, where the user kept an identifier, its fresh values.
  const written = withFreshIdentifiers(kept.synthetic, aside, request.seed);
  const formulas = countFormulaCells(written);
  if (formulas && !request.excelSafe)
    warn(
      `${formulas} synthetic cells start like a spreadsheet formula (=, +, -, @); excel-safe output prefixes them with '`,
    );
  const csv = tableToCsv(written, { excelSafe: request.excelSafe });
  // The validation split judged the run's choices; the reported figures come from the untouched holdout.
  const final = validationSplit
    ? await evaluateAgainstInput(context, kept.synthetic, kept.sampleChecks, context.fidelityRows)
    : kept.evaluation;
  const judged = final
    ? await evaluationReport(request, final, {
        schema,
        real: validation ?? train,
        synthetic: kept.synthetic,
        files: privateOutput
          ? { real: publicFile(request.privacy?.validation?.path ?? 'public validation', validation!), holdout: null }
          : splitFiles(request.input, split.train_rows ?? 0, split.holdout_rows ?? 0),
        csv,
      })
    : null;
  const report = assembleReport(request, {
    evaluation: judged,
    split,
    kept,
    attempts: loop.attempts,
    ending: loop.ending,
    csv,
    warnings,
    started,
    privacy,
    privateOutput,
    identifiers: aside.records,
    written,
  });
  const privateEvaluation =
    privateOutput && request.privateReport
      ? await privateEvaluationOf(request, { train, holdout, table, schema, kept, csv, split, context })
      : null;
  return { report, privateEvaluation, csv, synthetic: written, model: kept.model, split };
}

/** Cells sampled in one run: past this the rows do not fit in memory with their evaluation. */
const MAX_SAMPLED_CELLS = 50_000_000;

/** The rows to sample (`-n` of each condition value), refused past what one run can hold. */
function rowsToSample(rows: number, columns: number, values: number): number {
  const cells = rows * values * columns;
  if (cells <= MAX_SAMPLED_CELLS) return rows;
  const each = values > 1 ? ` for each of ${values} condition values` : '';
  throw usageError(
    `sampling ${formatCount(rows)} rows${each} of ${columns} columns is ${formatCount(cells)} cells; one run samples at most ${formatCount(MAX_SAMPLED_CELLS)}`,
    `Sample ${Math.floor(MAX_SAMPLED_CELLS / columns / values)} rows or fewer${each ? ' of each' : ''} per run, and sample again from the saved model with another seed for more.`,
  );
}

/**
 * Preprocessing once, at the share of the first attempt's epsilon (a grid's smallest), and the
 * grid's budget checked; the public validation rows' overlap with the input is checked in it.
 */
async function privatePlan(
  tables: { readonly train: Table; readonly table: Table },
  request: GenerateRequest,
  privacy: PrivacyRequest,
  hooks: GenerateHooks,
): Promise<PrivacyBudget> {
  const plan = request.plan;
  const epsilons = plan.kind === 'grid' ? plan.points.map((p) => p.epsilon ?? privacy.epsilon) : [privacy.epsilon];
  const attempts = plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
  const budget = await planPrivacy(tables, request.metadata, privacy, {
    firstEpsilon: Math.min(...epsilons),
    attempts,
    holdoutFraction: request.holdoutFraction,
    readsQuantiles: methodOf(request).capabilities.readsQuantiles,
  });
  if (plan.kind === 'grid') checkGridBudget(budget, epsilons);
  if (budget.weakKinds.length)
    hooks.warn?.(
      `the released kinds of ${budget.weakKinds.join(', ')} rest on counts hardly above their noise (few rows for the preprocessing epsilon): declare the columns in a reviewed metadata file (gesalp schema drafts one), or give preprocessing a larger share`,
    );
  const pre = budget.preprocessing;
  hooks.info?.(
    pre.estimated.length
      ? `DP preprocessing: epsilon ${Number(pre.epsilon.toPrecision(4))} over ${pre.estimated.length} release(s)${pre.public.length ? `, ${pre.public.length} column(s) declared public` : ''}; ${budget.trainRows} training rows (${budget.trainRowsHow})`
      : 'DP preprocessing: every column and the row count declared public, no budget spent',
  );
  return budget;
}

function checkColumns(model: Synthesizer, table: Table, request: GenerateRequest): void {
  const expected = model.columnNames();
  const actual = table.columns.map((c) => c.name);
  if (expected.join('\u0000') === actual.join('\u0000')) return;
  throw inputError(
    `${request.input.path} has columns ${actual.join(', ')}; the model in ${request.loaded?.dir} was trained on ${expected.join(', ')}`,
    'Give the table the model was trained on (the same columns in the same order).',
  );
}

function chooseSplit(table: Table, request: GenerateRequest, warn: (text: string) => void, privateOutput: boolean) {
  const key = request.splitKey ?? request.seed;
  if (!request.loaded)
    return planSplit(
      table,
      request.input,
      { seed: key, fraction: request.holdoutFraction, validation: validationShare(request) },
      privateOutput,
    );
  const saved = savedSplit(request.loaded.split, table, request.input);
  if (saved) return saved;
  // A DP model's split names no input: its rows are split again by the key it recorded.
  if (request.loaded.split && request.loaded.split.input_sha256 === null)
    return planSplit(
      table,
      request.input,
      { seed: request.loaded.split.seed, fraction: request.loaded.split.fraction },
      true,
    );
  warn(
    `${request.input.path} is not the file the model was trained on: metrics compare against all of it, without a holdout`,
  );
  return wholeTable(table, request.input, request.loaded.split?.seed ?? key);
}

/** The validation split's default share of the rows (SPEC section 9). */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

/**
 * The validation split's share: taken only outside DP (there only public rows judge), when the run
 * makes choices (early-stop checkpoints of a method trained by epochs, or more than one attempt), so
 * that the holdout behind the reported figures judged none of them.
 */
function validationShare(request: GenerateRequest): number {
  if (request.privacy || request.loaded) return 0;
  const attempts = request.plan.kind === 'grid' ? request.plan.points.length : request.plan.maxAttempts;
  // Checkpoints exist only for a method that trains by epochs (aim has none to judge).
  const checkpoints = request.earlyStop && methodOf(request).capabilities.trainsByEpochs;
  return checkpoints || attempts > 1 ? (request.validationFraction ?? DEFAULT_VALIDATION_FRACTION) : 0;
}

/** The rule of the last switch of method up to the kept attempt. */
const switchRule = (attempts: readonly AttemptSummary[], kept: number): string =>
  attempts
    .filter((a) => a.attempt <= kept)
    .flatMap((a) =>
      a.changes.filter((c) => c.param === 'method').map((c) => `${c.rule}, after attempt ${a.attempt - 1}`),
    )
    .pop() ?? 'an earlier attempt';

const savedParams = (model: Synthesizer): ResolvedParam[] =>
  Object.entries(model.params).map(([name, value]) => ({ name, value, source: 'saved model' }));

/** A public table as the report lists it: no hash (it would fingerprint nothing private, but says nothing either). */
const publicFile = (path: string, table: Table): InputFile => ({
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

async function evaluationReport(
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

/** The kept rows against the private training and holdout rows: asked for, computed once, never read by a choice. */
async function privateEvaluationOf(
  request: GenerateRequest,
  run: {
    readonly train: Table;
    readonly holdout: Table | undefined;
    readonly table: Table;
    readonly schema: Schema;
    readonly kept: AttemptOutcome;
    readonly csv: string;
    readonly split: SplitRecord;
    readonly context: AttemptContext;
  },
): Promise<PrivateEvaluation> {
  const { train, holdout, kept } = run;
  const evaluation = await evaluateAgainstInput({ ...run.context, train, holdout }, kept.synthetic, kept.sampleChecks);
  const exactSplit = {
    ...run.split,
    rows: run.table.rowCount,
    train_rows: train.rowCount,
    holdout_rows: holdout?.rowCount ?? 0,
  };
  return {
    report: 'private_evaluation',
    covered_by_privacy_guarantee: false,
    notice: PRIVATE_EVALUATION_NOTICE,
    input: request.input,
    split: { ...exactSplit, input_sha256: request.input.sha256 },
    evaluation: await evaluationReport(request, evaluation, {
      schema: run.schema,
      real: train,
      synthetic: kept.synthetic,
      files: splitFiles(request.input, train.rowCount, holdout?.rowCount ?? 0),
      csv: run.csv,
    }),
  };
}

interface Assembly {
  readonly evaluation: EvaluationReport | null;
  readonly split: SplitRecord;
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
  readonly csv: string;
  readonly warnings: string[];
  readonly started: number;
  readonly privacy: PrivacyBudget | undefined;
  readonly privateOutput: boolean;
  readonly identifiers: IdentifierRecord[];
  /** The rows as written (with any kept identifier's fresh values). */
  readonly written: Table;
}

function assembleReport(request: GenerateRequest, a: Assembly): GenerationReport {
  const { kept, split, csv, evaluation } = a;
  const plan = request.plan;
  const front = a.privacy
    ? paretoFront(a.attempts.map((s) => ({ epsilon: s.epsilon ?? Infinity, standing: s.standing })))
    : null;
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
      mode: plan.kind === 'grid' ? 'grid' : plan.maxAttempts > 1 ? 'retry' : 'single',
      judged_on: a.privateOutput
        ? request.privacy?.validation
          ? 'public validation rows'
          : 'nothing'
        : split.validation
          ? 'validation split'
          : 'holdout',
      max_attempts: plan.kind === 'grid' ? plan.points.length : plan.maxAttempts,
      kept_attempt: kept.attempt,
      ending: a.ending,
    },
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

/**
 * Checks that need the DP request before any budget is spent: a parameter DP-SGD fixes (CTGAN's pac)
 * set otherwise by --param or --grid, and attempts that nothing public could choose between.
 */
function checkPrivateOverrides(
  method: MethodDescriptor,
  overrides: readonly ResolvedParam[],
  plan: AttemptPlan,
  privacy: PrivacyRequest,
): void {
  const attempts = plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
  if (attempts > 1 && !privacy.validation)
    throw usageError(
      `${attempts} DP attempts need public validation rows to choose between them: a choice made on the private rows is not covered by the budget`,
      'Give public rows with the same columns as validation, or run one attempt.',
    );
  const given = [
    ...overrides.map((o) => ({ name: o.name, value: o.value, flag: '--param' })),
    ...(plan.kind === 'grid' ? plan.points : []).flatMap((point) =>
      Object.entries(point).map(([name, value]) => ({ name, value, flag: '--grid' })),
    ),
  ];
  for (const [name, fixed] of Object.entries(method.privateFixed ?? {})) {
    const other = given.find((g) => g.name === name && g.value !== fixed.value);
    if (other)
      throw usageError(
        `${method.id} under DP-SGD needs ${name} ${fixed.value}, not ${other.value} (${fixed.rule})`,
        `Leave ${name} out of ${other.flag} with --epsilon, or train without a privacy budget.`,
      );
  }
}
