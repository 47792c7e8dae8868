/**
 * generate as a library call (ARCHITECTURE: `generate(table, request, hooks)`): split, parameter
 * resolution, the attempt plan, and the assembled report. It touches no file, terminal or process:
 * the command reads the input, writes what this returns and renders it.
 */
import { createHash } from 'node:crypto';
import type { BackendName } from '../core/backend-names.js';
import type { Thresholds } from '../core/config.js';
import { GesalpError, inputError, usageError } from '../core/errors.js';
import type { InputFile } from '../core/io/load-inputs.js';
import { countFormulaCells, tableToCsv } from '../core/io/write-csv.js';
import { buildEvaluationReport } from '../core/report/evaluation-report.js';
import { buildFigures, type Figures } from '../core/report/figures/figures.js';
import type { Schema } from '../core/schema/schema.js';
import { takeRows, type Table } from '../core/table.js';
import { createModel, MODELS, type MethodChoice, type MethodId } from '../models/registry.js';
import { paramValues, resolveParams, type ResolvedParam } from '../models/resolve-params.js';
import { fidelityRows } from './fidelity-rows.js';
import { columnTemplate } from '../models/column-template.js';
import { resolveCondition, type SampleCondition } from '../models/conditional-sampling.js';
import type { FitProgress, Synthesizer } from '../models/synthesizer.js';
import { PRIVATE_TRAINING_FIXED, sizeDefaults } from '../optimizer/size-defaults.js';
import { fewEpochsWarning } from '../optimizer/suggest.js';
import type { AttemptContext, AttemptOutcome } from './attempt.js';
import { runAttempts, type AttemptPlan, type AttemptSummary } from './attempts.js';
import { paretoFront } from '../optimizer/pareto.js';
import { checkGridBudget, planPrivacy, type PrivacyBudget, type PrivacyRequest } from './privacy-plan.js';
import { privacyRecord } from './privacy-record.js';
import { attemptRecord, buildGenerationReport, trainingRecord, type GenerationReport } from './report.js';
import { planSplit, savedSplit, splitFiles, wholeTable, type SplitRecord } from './split-record.js';

export interface GenerateRequest {
  readonly method: MethodChoice;
  /** The input's fingerprint (path, rows, hash) and schema, for the split and the report. */
  readonly input: InputFile;
  readonly schema: Schema;
  /** Rows to sample (of each value, with a condition). */
  readonly rows: number;
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
  readonly threads: number;
  readonly earlyStop: boolean;
  /** A model to sample from instead of training, with the split it was trained on (if known). */
  readonly loaded?: { readonly model: Synthesizer; readonly split: SplitRecord | null; readonly dir: string };
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

export interface GenerateResult {
  readonly report: GenerationReport;
  /** The synthetic rows as CSV, what the report's output hash describes. */
  readonly csv: string;
  readonly synthetic: Table;
  /** The kept attempt's model (the loaded one, or a new one): the caller saves and disposes it. */
  readonly model: Synthesizer;
  readonly split: SplitRecord;
}

export async function generate(
  table: Table,
  request: GenerateRequest,
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  const started = performance.now();
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    hooks.warn?.(text);
  };
  if (request.loaded) checkColumns(request.loaded.model, table, request);
  // Before training: a condition the table cannot hold fails now, not after the model is trained.
  if (request.condition) resolveCondition(request.condition, table.columns.map(columnTemplate));
  if (request.privacy) checkPrivateOverrides(request.method.id, request.overrides, request.plan);
  const { record: split, split: rows } = chooseSplit(table, request, warn);
  const params = request.loaded
    ? savedParams(request.loaded.model)
    : resolveParams(
        MODELS[request.method.id].space,
        sizeDefaults(request.method.id, split.train_rows, table.columns.length, Boolean(request.privacy)),
        request.overrides,
      );
  const few =
    request.loaded || !MODELS[request.method.id].trainsByEpochs ? null : fewEpochsWarning(paramValues(params).n_iter);
  if (few) warn(few);
  if (!request.loaded && request.holdoutFraction === 0)
    warn(
      'every row trains the model (holdout fraction 0), so mia_auc needs an external holdout (gesalp evaluate --holdout)',
    );
  hooks.planned?.(params, split);

  const train = split.holdout_rows ? takeRows(table, rows.train) : table;
  const holdout = split.holdout_rows ? takeRows(table, rows.holdout) : undefined;
  const privacy =
    request.privacy && !request.loaded ? await privatePlan(train, request, request.privacy, hooks) : undefined;
  const context: AttemptContext = {
    train,
    holdout,
    table,
    rows: request.rows,
    condition: request.condition,
    fidelityRows: fidelityRows({ train, table }, request.condition, request.seed, {
      info: (text) => hooks.info?.(text),
      warn,
    }),
    thresholds: request.thresholds,
    target: request.target,
    backend: request.backend,
    seed: request.seed,
    threads: request.threads,
    earlyStop: request.earlyStop && !request.loaded,
    privacy,
    stopTraining: request.stopTraining,
    stopAll: request.stopAll,
    create: request.create ?? createModel,
    defaultsFor: (method) =>
      resolveParams(
        MODELS[method].space,
        sizeDefaults(method, split.train_rows, table.columns.length, Boolean(request.privacy)),
        [],
      ),
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
  const formulas = countFormulaCells(kept.synthetic);
  if (formulas && !request.excelSafe)
    warn(
      `${formulas} synthetic cells start like a spreadsheet formula (=, +, -, @); excel-safe output prefixes them with '`,
    );
  const csv = tableToCsv(kept.synthetic, { excelSafe: request.excelSafe });
  const figures = await buildFigures(
    kept.evaluation,
    { real: train, synthetic: kept.synthetic },
    { heatmapColumns: request.heatmapColumns, seed: request.seed },
  );
  const report = assembleReport(request, {
    figures,
    split,
    train,
    kept,
    attempts: loop.attempts,
    ending: loop.ending,
    csv,
    warnings,
    started,
    privacy,
  });
  return { report, csv, synthetic: kept.synthetic, model: kept.model, split };
}

/** Preprocessing once, at the share of the first attempt's epsilon (a grid's smallest), and the grid's budget checked. */
async function privatePlan(
  train: Table,
  request: GenerateRequest,
  privacy: PrivacyRequest,
  hooks: GenerateHooks,
): Promise<PrivacyBudget> {
  const plan = request.plan;
  const epsilons = plan.kind === 'grid' ? plan.points.map((p) => p.epsilon ?? privacy.epsilon) : [privacy.epsilon];
  const attempts = plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
  const budget = await planPrivacy(train, request.schema, privacy, Math.min(...epsilons), attempts);
  if (plan.kind === 'grid') checkGridBudget(budget, epsilons);
  const pre = budget.preprocessing;
  hooks.info?.(
    pre.estimated.length
      ? `DP preprocessing: epsilon ${Number(pre.epsilon.toPrecision(4))} over ${pre.estimated.length} column(s)${pre.public.length ? `, ${pre.public.length} declared public` : ''}`
      : 'DP preprocessing: every column declared public, no budget spent',
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

function chooseSplit(table: Table, request: GenerateRequest, warn: (text: string) => void) {
  if (!request.loaded)
    return planSplit(table, request.input, { seed: request.seed, fraction: request.holdoutFraction });
  const saved = savedSplit(request.loaded.split, table, request.input);
  if (saved) return saved;
  warn(
    `${request.input.path} is not the file the model was trained on: metrics compare against all of it, without a holdout`,
  );
  return wholeTable(table, request.input, request.loaded.split?.seed ?? request.seed);
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

interface Assembly {
  readonly split: SplitRecord;
  readonly train: Table;
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
  readonly csv: string;
  readonly warnings: string[];
  readonly started: number;
  readonly figures: Figures;
  readonly privacy: PrivacyBudget | undefined;
}

function assembleReport(request: GenerateRequest, a: Assembly): GenerationReport {
  const { kept, split, csv } = a;
  const sha256 = createHash('sha256').update(csv).digest('hex');
  const outputFile: InputFile = {
    path: request.outputPath,
    rows: kept.synthetic.rowCount,
    columns: kept.synthetic.columns.length,
    bytes: Buffer.byteLength(csv),
    sha256,
  };
  const parts = splitFiles(request.input, split.train_rows, split.holdout_rows);
  const evaluation = buildEvaluationReport(kept.evaluation, {
    files: { real: parts.real, synthetic: outputFile, holdout: parts.holdout },
    schema: request.schema,
    real: a.train,
    thresholds: request.thresholds,
    configFiles: request.configFiles ?? [],
    backend: request.backend,
    seed: request.seed,
    timings: {},
    figures: a.figures,
  });
  const plan = request.plan;
  const front = a.privacy
    ? paretoFront(a.attempts.map((s) => ({ epsilon: s.epsilon ?? Infinity, standing: s.standing })))
    : null;
  return buildGenerationReport({
    method: kept.method,
    method_reason:
      kept.method === request.method.id
        ? request.method.reason
        : `switched from ${request.method.id} by the optimizer (${switchRule(a.attempts, kept.attempt)})`,
    parameters: kept.params,
    backend: request.backend,
    seed: request.seed,
    input: request.input,
    split,
    output: { path: request.outputPath, rows: kept.synthetic.rowCount, sha256 },
    model: { saved_to: request.saveTo ?? null, loaded_from: request.loaded?.dir ?? null },
    training: trainingRecord(kept.training, Boolean(a.privacy)),
    early_stop: kept.earlyStop,
    timings_s: {
      // A loaded model was not trained by this run: no training time to report.
      ...(request.loaded ? {} : { train: kept.seconds.train }),
      sample: kept.seconds.sample,
      evaluate: kept.seconds.evaluate,
      pipeline: (performance.now() - a.started) / 1000,
    },
    optimizer: {
      mode: plan.kind === 'grid' ? 'grid' : plan.maxAttempts > 1 ? 'retry' : 'single',
      max_attempts: plan.kind === 'grid' ? plan.points.length : plan.maxAttempts,
      kept_attempt: kept.attempt,
      ending: a.ending,
    },
    attempts: a.attempts.map((s, i) => attemptRecord(s, kept.attempt, front?.[i] ?? null)),
    privacy: a.privacy ? privacyRecord(a.privacy, a.attempts, kept.attempt) : null,
    evaluation,
    warnings: [...a.warnings, ...evaluation.warnings],
  });
}

/** A parameter DP-SGD fixes (CTGAN's pac) set otherwise by --param or --grid: exit 2 before any budget is spent. */
function checkPrivateOverrides(method: MethodId, overrides: readonly ResolvedParam[], plan: AttemptPlan): void {
  const given = [
    ...overrides.map((o) => ({ name: o.name, value: o.value, flag: '--param' })),
    ...(plan.kind === 'grid' ? plan.points : []).flatMap((point) =>
      Object.entries(point).map(([name, value]) => ({ name, value, flag: '--grid' })),
    ),
  ];
  for (const [name, fixed] of Object.entries(PRIVATE_TRAINING_FIXED[method] ?? {})) {
    const other = given.find((g) => g.name === name && g.value !== fixed.value);
    if (other)
      throw usageError(
        `${method} under DP-SGD needs ${name} ${fixed.value}, not ${other.value} (${fixed.rule})`,
        `Leave ${name} out of ${other.flag} with --epsilon, or train without a privacy budget.`,
      );
  }
}
