/** The generate pipeline: read, split, train (or load), sample, write, evaluate, report. */
import { createHash } from 'node:crypto';
import { useBackend } from '../core/backend.js';
import { resolveThresholds } from '../core/config.js';
import { GesalpError, inputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { loadInputs, type InputFile } from '../core/io/load-inputs.js';
import { tableToCsv } from '../core/io/write-csv.js';
import { renderAttempts } from '../core/render/attempts-table.js';
import { renderEvaluation } from '../core/render/evaluation-table.js';
import { formatCount } from '../core/render/format.js';
import { renderParams } from '../core/render/params-table.js';
import { buildEvaluationReport } from '../core/report/evaluation-report.js';
import { holdoutCount, splitRows } from '../core/split.js';
import { takeRows, type Table } from '../core/table.js';
import { splitFiles } from '../models/apply-split.js';
import { buildGenerationReport, type SplitRecord } from '../models/generation-report.js';
import { resolveMethod, MODELS } from '../models/registry.js';
import { paramValues, resolveParams, type ResolvedParam } from '../models/resolve-params.js';
import { sizeDefaults } from '../optimizer/size-defaults.js';
import { fewEpochsWarning } from '../optimizer/suggest.js';
import { gridPoints, parseGrid } from '../optimizer/grid.js';
import type { Space } from '../models/space.js';
import { TabDdpm } from '../models/tabddpm/model.js';
import { SamplingStopped } from '../models/tabddpm/sample.js';
import { checkGenerateOptions, outputPaths, type GenerateOptions } from './generate.js';
import { GenerateProgress } from './generate-progress.js';
import type { AttemptContext, AttemptOutcome } from './generate-attempt.js';
import { attemptRecord, attemptRow, reportAttempt } from './generate-attempt-records.js';
import { runAttempts, type AttemptPlan } from './generate-loop.js';
import { Console, type Io } from './io.js';

export async function runGenerate(io: Io, inputPath: string, options: GenerateOptions): Promise<number> {
  checkGenerateOptions(options);
  const console = new Console(io, options);
  const started = performance.now();
  const seconds: Record<string, number> = {};
  const lap = (name: string, since: number) => (seconds[name] = (performance.now() - since) / 1000);
  const method = resolveMethod(options.method);
  console.info(`method: ${method.id} (${method.reason})`);
  const thresholds = resolveThresholds({ flags: options.threshold, configFile: options.config, cwd: io.cwd });
  const paths = outputPaths(io, inputPath, options);

  const loaded = await loadInputs([inputPath === '-' ? { name: 'stdin', stream: io.stdin } : inputPath], {
    discrete: options.discrete,
    continuous: options.continuous,
  });
  const table = loaded.tables[0];
  const input = loaded.files[0];
  lap('read', started);
  console.info(`read ${input.path}: ${formatCount(input.rows)} rows x ${input.columns} columns`);

  const setup = options.loadModel
    ? await loadModel(options.loadModel, table, input, console)
    : newModel(table, input, options, console);
  const { split, params } = setup;
  const plan = attemptPlan(options, MODELS[method.id].space);
  const train = split.holdout_rows ? takeRows(table, setup.trainRows) : table;
  const holdout = split.holdout_rows ? takeRows(table, setup.holdoutRows) : undefined;
  console.info(
    `split: ${formatCount(split.train_rows)} training rows, ${formatCount(split.holdout_rows)} holdout rows (seed ${split.seed}, fraction ${split.fraction})`,
  );
  if (!options.quiet && !options.json) io.stderr.write(`${renderParams(params)}\n`);
  const backend = await useBackend(options.backend);
  console.info(`backend: ${backend.name}`);

  const progress = new GenerateProgress(io, console, Boolean(options.quiet));
  const stopTraining = new AbortController();
  const stopAll = new AbortController();
  const onInterrupt = () => {
    progress.clear();
    if (!stopTraining.signal.aborted) {
      console.warn(
        'stopping training after this step; the rows will be sampled from what was learnt (Ctrl-C again to abort without writing)',
      );
      stopTraining.abort();
    } else stopAll.abort();
  };
  process.on('SIGINT', onInterrupt);
  const rows = options.rows ?? table.rowCount;
  const context: AttemptContext = {
    train,
    holdout,
    table,
    rows,
    thresholds,
    backend: backend.name,
    seed: options.seed,
    threads: options.threads,
    earlyStop: options.earlyStop && !options.loadModel,
    progress,
    stopTraining: stopTraining.signal,
    stopAll: stopAll.signal,
  };
  let kept: AttemptOutcome | undefined;
  try {
    const loop = await runAttempts(
      context,
      plan,
      {
        method: method.id,
        thresholds,
        columns: table.columns.length,
        params,
        loaded: options.loadModel ? setup.model : undefined,
      },
      {
        info: (text) => console.info(text),
        attemptDone: (outcome) => reportAttempt(outcome, console),
      },
    );
    kept = loop.kept;
    const attemptRows = loop.attempts.map((a) => attemptRow(a, kept!.attempt));
    if (loop.attempts.length > 1) {
      console.info(`${plan.kind === 'grid' ? 'grid' : 'attempts'} (${loop.ending}):`);
      if (!options.quiet && !options.json) io.stderr.write(`${renderAttempts(attemptRows, console.style)}\n`);
    }
    if (!kept.synthetic || !kept.evaluation) throw kept.edgeError ?? new Error('the kept attempt has no rows');
    // A loaded model was not trained by this run: no training time to report.
    if (!options.loadModel) seconds.train = kept.seconds.train;
    seconds.sample = kept.seconds.sample;
    seconds.evaluate = kept.seconds.evaluate;
    const synthetic = kept.synthetic;
    const evaluation = kept.evaluation;
    if (options.saveModel) {
      await kept.model.save(options.saveModel, split);
      console.info(`model saved to ${options.saveModel}`);
    }

    const writeStart = performance.now();
    const csv = tableToCsv(synthetic);
    if (paths.out === '-') io.stdout.write(csv);
    else await writeFileAtomic(paths.out, csv);
    lap('write', writeStart);
    if (paths.out !== '-') console.info(`wrote ${paths.out}`);

    const outputFile: InputFile = {
      path: paths.out,
      rows,
      columns: synthetic.columns.length,
      bytes: Buffer.byteLength(csv),
      sha256: sha256(csv),
    };
    const parts = splitFiles(input, split.train_rows, split.holdout_rows);
    const evaluationReport = buildEvaluationReport(evaluation, {
      files: { real: parts.real, synthetic: outputFile, holdout: parts.holdout },
      schema: loaded.schema,
      real: train,
      thresholds,
      backend: backend.name,
      seed: options.seed,
      timings: {},
    });
    lap('total', started);
    const warnings = [...setup.warnings, ...evaluationReport.warnings];
    const report = buildGenerationReport({
      method: method.id,
      method_reason: method.reason,
      parameters: kept.params,
      backend: backend.name,
      seed: options.seed,
      input,
      split,
      output: { path: paths.out, rows, sha256: outputFile.sha256 },
      model: { saved_to: options.saveModel ?? null, loaded_from: options.loadModel ?? null },
      training: kept.training,
      early_stop: kept.earlyStop,
      timings_s: seconds,
      optimizer: {
        mode: plan.kind === 'grid' ? 'grid' : plan.maxAttempts > 1 ? 'retry' : 'single',
        max_attempts: plan.kind === 'grid' ? plan.points.length : plan.maxAttempts,
        kept_attempt: kept.attempt,
        ending: loop.ending,
      },
      attempts: loop.attempts.map((a, i) => attemptRecord(a, attemptRows[i])),
      privacy: null,
      evaluation: evaluationReport,
      warnings,
    });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    await writeFileAtomic(paths.report, json);
    console.info(`report: ${paths.report}`);
    for (const warning of evaluationReport.warnings) console.warn(warning);
    if (options.json) console.data(json);
    else {
      const rendered = renderEvaluation(evaluationReport, paths.out === '-' ? console.style : console.stdoutStyle);
      if (paths.out === '-') io.stderr.write(`${rendered}\n`);
      else console.data(rendered);
    }
    const failed = evaluation.verdict.violations.filter((v) => v.status === 'fail');
    const unevaluated = evaluation.verdict.violations.filter((v) => v.status !== 'fail');
    for (const check of unevaluated) console.warn(`${check.metric} was not evaluated: ${check.message ?? 'no value'}`);
    if (failed.length) {
      const tried =
        loop.attempts.length > 1 ? ` after ${loop.attempts.length} attempts (kept attempt ${kept.attempt})` : '';
      throw new GesalpError(
        'gate',
        `the synthetic rows fail ${failed.map((v) => `${v.metric} (${v.value} ${v.op === '<=' ? '>' : '<'} ${v.threshold})`).join(', ')}${tried}; rows and report were written`,
        `See why and what to change: gesalp analyze-failure ${paths.report}${loop.attempts.length > 1 ? '' : '; or let gesalp retry with --max-attempts 4'}.`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof SamplingStopped)
      throw new GesalpError('interrupted', 'stopped by Ctrl-C; nothing was written');
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    kept?.model.dispose();
    setup.model?.dispose();
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Attempts the optimizer may use with --optimize (the seeds' "optimized run"). */
const OPTIMIZE_ATTEMPTS = 8;

function attemptPlan(options: GenerateOptions, space: Space): AttemptPlan {
  if (options.grid?.length) {
    const axes = parseGrid(options.grid, space, {
      epsilon: 'DP-SGD training (--epsilon) is not in this build of gesalp',
    });
    return { kind: 'grid', points: gridPoints(axes) };
  }
  return { kind: 'retry', maxAttempts: options.maxAttempts ?? (options.optimize ? OPTIMIZE_ATTEMPTS : 1) };
}

interface ModelSetup {
  /** Only for --load-model: new models are made per attempt. */
  readonly model?: TabDdpm;
  readonly split: SplitRecord;
  readonly trainRows: Int32Array;
  readonly holdoutRows: Int32Array;
  readonly params: ResolvedParam[];
  readonly warnings: string[];
}

function newModel(table: Table, input: InputFile, options: GenerateOptions, console: Console): ModelSetup {
  const fraction = options.holdoutFraction;
  const rows = table.rowCount;
  const holdoutRows = holdoutCount(rows, fraction);
  if (rows - holdoutRows < 2)
    throw inputError(
      `${input.path} has ${rows} rows: too few to train on after keeping ${holdoutRows} for the holdout`,
      'Give a table with more rows, or lower --holdout-fraction.',
    );
  const split = splitRows(rows, { seed: options.seed, fraction });
  const params = resolveParams({
    space: MODELS.ddpm.space,
    defaults: sizeDefaults('ddpm', split.train.length, table.columns.length),
    flags: { n_iter: options.nIter, batch_size: options.batchSize, lr: options.lr },
    params: options.param ?? [],
  });
  const warnings: string[] = [];
  const few = fewEpochsWarning(paramValues(params).n_iter);
  if (few) warnings.push(few);
  if (fraction === 0)
    warnings.push(
      '--holdout-fraction 0: every row trains the model, so mia_auc needs an external holdout (gesalp evaluate --holdout)',
    );
  for (const w of warnings) console.warn(w);
  return {
    split: {
      seed: options.seed,
      fraction,
      input_sha256: input.sha256,
      rows,
      train_rows: split.train.length,
      holdout_rows: split.holdout.length,
    },
    trainRows: split.train,
    holdoutRows: split.holdout,
    params,
    warnings,
  };
}

async function loadModel(dir: string, table: Table, input: InputFile, console: Console): Promise<ModelSetup> {
  const { model, split: saved } = await TabDdpm.load(dir);
  const expected = model.columnNames();
  const actual = table.columns.map((c) => c.name);
  if (expected.join('\u0000') !== actual.join('\u0000')) {
    model.dispose();
    throw inputError(
      `${input.path} has columns ${actual.join(', ')}; the model in ${dir} was trained on ${expected.join(', ')}`,
      'Give the table the model was trained on (the same columns in the same order).',
    );
  }
  const params = Object.entries(model.params).map(([name, value]) => ({ name, value, source: `saved model` }));
  const warnings: string[] = [];
  if (saved && saved.input_sha256 === input.sha256 && saved.rows === table.rowCount) {
    const split = splitRows(table.rowCount, saved);
    return { model, split: saved, trainRows: split.train, holdoutRows: split.holdout, params, warnings };
  }
  warnings.push(
    `${input.path} is not the file the model was trained on: metrics compare against all of it, without a holdout`,
  );
  for (const w of warnings) console.warn(w);
  const all = Int32Array.from({ length: table.rowCount }, (_, i) => i);
  const split: SplitRecord = {
    seed: saved?.seed ?? 0,
    fraction: 0,
    input_sha256: input.sha256,
    rows: table.rowCount,
    train_rows: table.rowCount,
    holdout_rows: 0,
  };
  return { model, split, trainRows: all, holdoutRows: new Int32Array(0), params, warnings };
}
