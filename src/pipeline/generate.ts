/**
 * generate as a library call (ARCHITECTURE: `generate(table, request, hooks)`): split, parameter
 * resolution, the attempt plan, and the assembled report. It touches no file, terminal or process:
 * the command reads the input, writes what this returns and renders it.
 */
import { recodeToStatistics } from '../core/column-statistics.js';
import { GesalpError, inputError, optionError, usageError } from '../core/errors.js';
import { bindConstraints, checkConstraintKinds, type BoundConstraint } from '../core/schema/constraint-rows.js';
import { recastTable } from '../core/schema/recast.js';
import type { Schema } from '../core/schema/schema.js';
import { takeRows, type Table } from '../core/table.js';
import { columnTemplate } from '../models/column-template.js';
import { resolveCondition } from '../models/conditional-sampling.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import { paramValues, resolveParams, type ResolvedParam } from '../models/resolve-params.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { sizeDefaults } from '../optimizer/size-defaults.js';
import { fewEpochsWarning } from '../optimizer/suggest.js';
import { evaluateAgainstInput, type AttemptContext } from './attempt.js';
import { plannedAttempts, type AttemptPlan } from './attempt-plan.js';
import { runAttempts, type AttemptsResult } from './attempts.js';
import type { WrittenRows } from './chunked-output.js';
import { constraintsLine } from './constrained-sampling.js';
import { fidelityRows } from './fidelity-rows.js';
import { methodOf, type GenerateHooks, type GenerateRequest } from './generate-request.js';
import { assembleReport, evaluationReport, publicFile } from './generation-assembly.js';
import { DETECT_IDENTIFIERS, setAsideIdentifiers, type SetAside } from './identifier-columns.js';
import { rowsPlan, writeRows } from './output-rows.js';
import {
  checkGridBudget,
  planPrivacy,
  releasedKinds,
  type PrivacyBudget,
  type PrivacyRequest,
} from './privacy-plan.js';
import { checkFineTuneColumns, withSavedArchitecture } from './init-from.js';
import { privateEvaluationOf, type PrivateEvaluation } from './private-evaluation.js';
import { statisticsTemplate } from './private-templates.js';
import { chooseSplit } from './run-split.js';
import type { GenerationReport } from './report.js';
import { splitFiles, type SplitRecord } from './split-record.js';

export interface GenerateResult {
  readonly report: GenerationReport;
  /** Present when asked for under DP (privateReport): keep it apart from the DP releases. */
  readonly privateEvaluation: PrivateEvaluation | null;
  /** The synthetic rows as CSV, what the report's output hash describes ('' where they went to the sink in chunks). */
  readonly csv: string;
  /** The rows written, or where they went to the sink in chunks, the first chunk: the rows evaluated. */
  readonly synthetic: Table;
  /** What was written, and whether in chunks to the request's sink (chunkRows not null). */
  readonly output: WrittenRows;
  /** The kept attempt's model (the loaded one, or a new one): the caller saves and disposes it. */
  readonly model: Synthesizer;
  readonly split: SplitRecord;
}

export async function generate(
  read: Table,
  request: GenerateRequest,
  hooks: GenerateHooks = {},
): Promise<GenerateResult> {
  const started = performance.now();
  const registry = request.registry ?? REGISTRY;
  const method = methodOf(request);
  checkTrainsPrivately(request, registry, method);
  const warnings: string[] = [];
  const warn = (text: string) => {
    warnings.push(text);
    hooks.warn?.(text);
  };
  // Chained, not awaited: a suspended async function keeps its arguments alive, and `read` (every
  // row) is freed once split; the run keeps its parts and the columns' template.
  return prepareRun(read, request, hooks, warn).then((run) =>
    generateRun(run, request, hooks, { started, registry, method, warnings, warn }),
  );
}

/** What generate decided before the run's tables: when it started, the method, the warnings so far. */
interface RunStart {
  readonly started: number;
  readonly registry: Registry;
  readonly method: MethodDescriptor;
  readonly warnings: string[];
  readonly warn: (text: string) => void;
}

async function generateRun(
  run: PreparedRun,
  request: GenerateRequest,
  hooks: GenerateHooks,
  { started, registry, method, warnings, warn }: RunStart,
): Promise<GenerateResult> {
  const params = await runParams(request, method, run, warn);
  hooks.planned?.(params, run.split);
  const chunks = rowsPlan(request, {
    rows: request.rows ?? run.privacy?.releasedRows ?? request.loaded?.privacy?.input_rows ?? run.inputRows,
    columns: run.template.columns.length,
  });
  const context = attemptContext(request, registry, run, chunks.first, hooks, warn);
  const loop = await runLoop(context, request, params, run.privacy, hooks);
  const kept = loop.kept;
  // What is written: the sampled rows and, where the user kept an identifier, its fresh values;
  // past a chunk, the rest sampled from the kept model and written a chunk at a time.
  const { written, csv, output, formulas, constraints } = await writeRows(request, run, context, kept, chunks, hooks);
  if (constraints) hooks.info?.(constraintsLine(constraints));
  if (formulas && !request.excelSafe)
    warn(
      `${formulas} synthetic cells start like a spreadsheet formula (=, +, -, @); excel-safe output prefixes them with '`,
    );
  // The validation split judged the run's choices; the reported figures come from the untouched holdout.
  // evaluate false (sampling a saved model unjudged): nothing judges the rows, the split's validation part included.
  const final =
    run.validationSplit && context.evaluate
      ? await evaluateAgainstInput(context, kept.synthetic, kept.sampleChecks, context.fidelityRows)
      : kept.evaluation;
  const judged = final
    ? await evaluationReport(request, final, {
        schema: run.schema,
        real: run.validation ?? run.train,
        synthetic: kept.synthetic,
        files: run.privateOutput
          ? {
              real: publicFile(request.privacy?.validation?.path ?? 'public validation', run.validation!),
              holdout: null,
            }
          : splitFiles(request.input, run.split.train_rows ?? 0, run.split.holdout_rows ?? 0),
        output,
      })
    : null;
  const report = assembleReport(request, {
    evaluation: judged,
    split: run.split,
    kept,
    attempts: loop.attempts,
    ending: loop.ending,
    repeatable: loop.repeatable,
    ...(loop.repeatableNote ? { repeatableNote: loop.repeatableNote } : {}),
    keptBy: loop.keptBy,
    ensemble: loop.ensemble,
    output,
    constraints,
    warnings,
    started,
    privacy: run.privacy,
    privateOutput: run.privateOutput,
    identifiers: run.aside.records,
  });
  const privateEvaluation =
    run.privateOutput && request.privateReport
      ? await privateEvaluationOf(request, { ...run, kept, output, context })
      : null;
  return { report, privateEvaluation, csv, synthetic: written, output, model: kept.model, split: run.split };
}

/** The run's tables and what was decided about them before any parameter: the split, the constraints, the DP plan. */
interface PreparedRun {
  /** A DP run, or sampling from a DP model: only DP releases go to the default report (SPEC section 8). */
  readonly privateOutput: boolean;
  /** The identifier columns set aside before learning. */
  readonly aside: Pick<SetAside, 'records' | 'kept'>;
  /** The input's row count. */
  readonly inputRows: number;
  /**
   * The learnt columns without rows (names, kinds, the level lists the synthetic rows take); the
   * table of every row is not kept past the split, which holds each row once.
   */
  readonly template: Table;
  /** The learnt columns of each part of the split (under DP, in the released kinds). */
  readonly train: Table;
  readonly holdout: Table | undefined;
  readonly validationSplit: Table | undefined;
  /** Under DP: the public validation rows, recoded onto the released levels. */
  readonly validation: Table | undefined;
  readonly schema: Schema;
  readonly split: SplitRecord;
  readonly constraints: BoundConstraint[];
  readonly privacy: PrivacyBudget | undefined;
  /** The training rows the size defaults read: under DP the released count. */
  readonly trainRows: number;
}

/** A method without DP training is refused a privacy budget before anything is read. */
function checkTrainsPrivately(request: GenerateRequest, registry: Registry, method: MethodDescriptor): void {
  if (request.privacy && !request.loaded && !method.capabilities.dp)
    throw usageError(
      `method ${method.id} cannot train under a privacy budget`,
      `Train ${method.id} without one, or choose a method that trains under DP (${registry.methods
        .filter((m) => m.capabilities.dp)
        .map((m) => m.id)
        .join(', ')}).`,
    );
}

async function prepareRun(
  read: Table,
  request: GenerateRequest,
  hooks: GenerateHooks,
  warn: (text: string) => void,
): Promise<PreparedRun> {
  const privateOutput = Boolean((request.privacy && !request.loaded) || request.loaded?.privacy);
  const aside = setAsideIdentifiers(
    read,
    request.metadata,
    request.identifiers ?? DETECT_IDENTIFIERS,
    Boolean(request.privacy) && !request.loaded,
  );
  for (const line of aside.said) warn(line);
  for (const line of request.initFrom?.warnings ?? []) warn(line);
  if (request.identifiers && !request.identifiers.detect)
    warn(
      'identifier detection is off: a column that identifies people (a key, an email, a name) is learned like any other, and its real values can be copied into the synthetic rows',
    );
  let table = aside.table;
  if (request.loaded) checkColumns(request.loaded.model, table, request);
  if (request.initFrom)
    checkFineTuneColumns(request.initFrom, table, request.input.path, request.privacy ? 'names' : 'kinds');
  // Before training: a condition the table cannot hold fails now; under DP against released levels only.
  // (A DP model checks it against its own released levels when it samples.)
  if (request.condition && !privateOutput) resolveCondition(request.condition, table.columns.map(columnTemplate));
  // Fine-tuning samples the saved model's level lists (public or a DP release): a value they lack is
  // refused now, before any budget is spent, whether or not a row holds it.
  if (request.condition && request.initFrom) resolveCondition(request.condition, request.initFrom.start.columns);
  if (request.privacy) checkPrivateOverrides(methodOf(request), request.overrides, request.plan, request.privacy);
  const { record: split, split: rows } = chooseSplit(table, request, warn, privateOutput);
  let train = rows.holdout.length || rows.validation.length ? takeRows(table, rows.train) : table;
  let holdout = rows.holdout.length ? takeRows(table, rows.holdout) : undefined;
  const validationSplit = rows.validation.length ? takeRows(table, rows.validation) : undefined;
  // Fine-tuning outside DP: the values the saved transform cannot encode are refused in the rows it
  // trains on only (holdout and validation rows are never encoded by it). Under DP nothing is refused.
  if (request.initFrom && !request.privacy) checkFineTuneColumns(request.initFrom, train, request.input.path, 'values');
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
    if (request.initFrom) checkFineTuneColumns(request.initFrom, table, request.input.path, 'kinds');
    checkConstraintKinds(constraints, table);
    if (request.condition) resolveCondition(request.condition, privacy.statistics.map(statisticsTemplate));
  }
  const trainRows = privacy ? privacy.trainRows : train.rowCount;
  return {
    privateOutput,
    aside: { records: aside.records, kept: aside.kept },
    inputRows: table.rowCount,
    // Under DP the columns' level lists are the released ones: the synthetic rows are aligned onto
    // them, and a list read beside the private file holds categories that were not released.
    template: privacy ? recodeToStatistics(takeRows(table, []), privacy.statistics) : takeRows(table, []),
    train,
    holdout,
    validationSplit,
    validation,
    schema,
    split,
    constraints,
    privacy,
    trainRows,
  };
}

/** The first attempt's parameters (the saved model's, or the size defaults under the user's), with their warnings. */
async function runParams(
  request: GenerateRequest,
  method: MethodDescriptor,
  run: PreparedRun,
  warn: (text: string) => void,
): Promise<ResolvedParam[]> {
  const columns = run.template.columns.length;
  const resolved = request.loaded
    ? savedParams(request.loaded.model).map((p) => request.overrides.find((o) => o.name === p.name) ?? p)
    : resolveParams(
        method.space,
        // The user's values too: a step cap counts the steps of the batch size they set.
        sizeDefaults(method, run.trainRows, columns, Boolean(request.privacy), paramValues(request.overrides)),
        request.overrides,
      );
  // Fine-tuning: the architecture is the saved model's.
  const params = request.initFrom ? withSavedArchitecture(resolved, request.initFrom) : resolved;
  if (request.loaded) return params;
  const nIter = params.find((p) => p.name === 'n_iter');
  const few = method.capabilities.trainsByEpochs && nIter ? fewEpochsWarning(nIter.value, nIter.source) : null;
  if (few) warn(few);
  const heavy = (await method.memoryWarning?.(run.template, paramValues(params))) ?? null;
  if (heavy) warn(heavy);
  if (request.holdoutFraction === 0)
    warn(
      'every row trains the model (holdout fraction 0), so mia_auc needs an external holdout: evaluate the rows with holdout rows the model never saw',
    );
  return params;
}

/** What every attempt shares: the tables, the rows to sample (of each condition value: all, or the first chunk), the checks and the controls. */
function attemptContext(
  request: GenerateRequest,
  registry: Registry,
  run: PreparedRun,
  rows: number,
  hooks: GenerateHooks,
  warn: (text: string) => void,
): AttemptContext {
  const { train, template, privacy, privateOutput } = run;
  const columns = template.columns.length;
  return {
    train,
    holdout: run.holdout,
    template,
    rows,
    condition: request.condition,
    constraints: run.constraints,
    fidelityRows: privateOutput
      ? undefined
      : fidelityRows({ train, template }, request.condition, request.seed, {
          info: (text) => hooks.info?.(text),
          warn,
        }),
    thresholds: request.thresholds,
    target: request.target,
    backend: request.backend,
    seed: request.seed,
    threads: request.threads,
    ...(request.chooseThreads ? { chooseThreads: true } : {}),
    earlyStop: request.earlyStop && !request.loaded,
    ...(request.initFrom ? { init: request.initFrom } : {}),
    evaluate: request.evaluate !== false,
    privacy,
    privateOutput,
    validation: run.validation,
    validationSplit: run.validationSplit,
    stopTraining: request.stopTraining,
    stopAll: request.stopAll,
    registry,
    create: request.create ?? ((id, values) => registry.get(id).create(values)),
    defaultsFor: (id) => {
      const switched = registry.get(id);
      return resolveParams(
        switched.space,
        sizeDefaults(switched, run.trainRows, columns, Boolean(request.privacy)),
        [],
      );
    },
    onEstimate: hooks.estimate,
    onTraining: hooks.training,
    onSampling: hooks.sampling,
    onCheckpoint: hooks.checkpoint,
  };
}

/** The attempts; a run stopped by Ctrl-C (stopAll) ends as the interrupted error, with nothing written. */
async function runLoop(
  context: AttemptContext,
  request: GenerateRequest,
  params: ResolvedParam[],
  privacy: PrivacyBudget | undefined,
  hooks: GenerateHooks,
): Promise<AttemptsResult> {
  try {
    return await runAttempts(
      context,
      request.plan,
      { method: request.method.id, params, epsilon: privacy ? privacy.request.epsilon : null },
      {
        info: (text) => hooks.info?.(text),
        warn: (text) => hooks.warn?.(text),
        attemptDone: (a) => hooks.attemptDone?.(a),
      },
      request.loaded?.model,
      request.search,
    );
  } catch (error) {
    if (request.stopAll.aborted) throw new GesalpError('interrupted', 'stopped by Ctrl-C; nothing was written');
    throw error;
  }
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
  const attempts = plannedAttempts(plan);
  const budget = await planPrivacy(tables, request.metadata, privacy, {
    firstEpsilon: Math.min(...epsilons),
    attempts,
    holdoutFraction: request.holdoutFraction,
    readsQuantiles: methodOf(request).capabilities.readsQuantiles,
    zcdp: methodOf(request).capabilities.dp === 'zcdp',
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

const savedParams = (model: Synthesizer): ResolvedParam[] =>
  Object.entries(model.params).map(([name, value]) => ({ name, value, source: 'saved model' }));

/**
 * Checks that need the DP request before any budget is spent: a parameter DP-SGD fixes (CTGAN's pac)
 * set otherwise by the params or the grid, and attempts that nothing public could choose between.
 */
function checkPrivateOverrides(
  method: MethodDescriptor,
  overrides: readonly ResolvedParam[],
  plan: AttemptPlan,
  privacy: PrivacyRequest,
): void {
  const attempts = plannedAttempts(plan);
  if (attempts > 1 && !privacy.validation)
    throw optionError(
      'usage',
      'public_validation',
      `${attempts} DP attempts need public validation rows to choose between them: a choice made on the private rows is not covered by the budget`,
      'Give public rows with the same columns as {public_validation}, or run one attempt.',
    );
  const given = [
    ...overrides.map((o) => ({ name: o.name, value: o.value, option: 'params' })),
    ...(plan.kind === 'grid' ? plan.points : []).flatMap((point) =>
      Object.entries(point).map(([name, value]) => ({ name, value, option: 'grid' })),
    ),
  ];
  for (const [name, fixed] of Object.entries(method.privateFixed ?? {})) {
    const other = given.find((g) => g.name === name && g.value !== fixed.value);
    if (other)
      throw optionError(
        'usage',
        other.option,
        `${method.id} under DP-SGD needs ${name} ${fixed.value}, not ${other.value} (${fixed.rule})`,
        `Leave ${name} out of {${other.option}} with {epsilon}, or train without a privacy budget.`,
        ['epsilon'],
      );
  }
}
