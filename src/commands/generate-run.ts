/** The generate pipeline: read, split, train (or load), sample, write, evaluate, report. */
import { createHash } from 'node:crypto';
import { useBackend } from '../core/backend.js';
import { alignLevels } from '../core/align-levels.js';
import { resolveThresholds } from '../core/config.js';
import { GesalpError, inputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { loadInputs, type InputFile } from '../core/io/load-inputs.js';
import { tableToCsv } from '../core/io/write-csv.js';
import { evaluateTables } from '../core/metrics/evaluate.js';
import { formatDuration } from '../core/render/duration.js';
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
import { tabDdpmDefaults } from '../models/tabddpm/defaults.js';
import { TabDdpm } from '../models/tabddpm/model.js';
import type { TabDdpmParams } from '../models/tabddpm/space.js';
import { SamplingStopped } from '../models/tabddpm/sample.js';
import { checkGenerateOptions, outputPaths, type GenerateOptions } from './generate.js';
import { GenerateProgress } from './generate-progress.js';
import { Console, type Io } from './io.js';

/** Below this many epochs TabDDPM rarely learns a table (SPEC: warn, do not fail). */
const FEW_EPOCHS = 300;

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

  const loaded = await loadInputs([inputPath === '-' ? { name: 'stdin', stream: io.stdin } : inputPath], { discrete: options.discrete, continuous: options.continuous });
  const table = loaded.tables[0];
  const input = loaded.files[0];
  lap('read', started);
  console.info(`read ${input.path}: ${formatCount(input.rows)} rows x ${input.columns} columns`);

  const setup = options.loadModel ? await loadModel(options.loadModel, table, input, console) : newModel(table, input, options, console);
  const { model, split, params } = setup;
  const train = split.holdout_rows ? takeRows(table, setup.trainRows) : table;
  const holdout = split.holdout_rows ? takeRows(table, setup.holdoutRows) : undefined;
  console.info(`split: ${formatCount(split.train_rows)} training rows, ${formatCount(split.holdout_rows)} holdout rows (seed ${split.seed}, fraction ${split.fraction})`);
  if (!options.quiet && !options.json) io.stderr.write(`${renderParams(params)}\n`);
  const backend = await useBackend(options.backend);
  console.info(`backend: ${backend.name}`);

  const progress = new GenerateProgress(io, console, Boolean(options.quiet));
  const stopTraining = new AbortController();
  const stopAll = new AbortController();
  const onInterrupt = () => {
    progress.clear();
    if (!stopTraining.signal.aborted) {
      console.warn('stopping training after this step; the rows will be sampled from what was learnt (Ctrl-C again to abort without writing)');
      stopTraining.abort();
    } else stopAll.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    let training = model.training;
    if (!options.loadModel) {
      const trainStart = performance.now();
      const fitted = await model.fit(train, {
        seed: options.seed,
        threads: options.threads,
        backend: backend.name,
        signal: stopTraining.signal,
        onEstimate: (s) => progress.estimate(s),
        onProgress: (p) => progress.training(p),
      });
      training = fitted;
      lap('train', trainStart);
      progress.clear();
      const rate = `${fitted.stepsPerSecond.toFixed(1)} steps/s, ${formatCount(Math.round(fitted.samplesPerSecond))} rows/s on ${fitted.threads} thread(s)`;
      if (fitted.stopped) console.warn(`training stopped at epoch ${fitted.epochsDone} of ${fitted.epochs}; sampling from what was learnt`);
      console.info(`trained ${fitted.epochsDone} epochs (${formatCount(fitted.stepsDone)} steps) in ${formatDuration(fitted.seconds)}: ${rate}`);
      if (options.saveModel) {
        await model.save(options.saveModel, split);
        console.info(`model saved to ${options.saveModel}`);
      }
    }
    const rows = options.rows ?? table.rowCount;
    const sampleStart = performance.now();
    const sampled = await model.sample(rows, { seed: options.seed, signal: stopAll.signal, onProgress: (done, total) => progress.sampling(done, total, (performance.now() - sampleStart) / 1000) });
    const synthetic = alignLevels(sampled, table);
    lap('sample', sampleStart);
    progress.clear();
    console.info(`sampled ${formatCount(rows)} rows in ${formatDuration(seconds.sample)}`);

    const writeStart = performance.now();
    const csv = tableToCsv(synthetic);
    if (paths.out === '-') io.stdout.write(csv);
    else await writeFileAtomic(paths.out, csv);
    lap('write', writeStart);
    if (paths.out !== '-') console.info(`wrote ${paths.out}`);

    const evaluateStart = performance.now();
    const evaluation = await evaluateTables(train, synthetic, holdout, { thresholds, backend: backend.name, seed: options.seed });
    lap('evaluate', evaluateStart);
    const outputFile: InputFile = { path: paths.out, rows, columns: synthetic.columns.length, bytes: Buffer.byteLength(csv), sha256: sha256(csv) };
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
      parameters: params,
      backend: backend.name,
      seed: options.seed,
      input,
      split,
      output: { path: paths.out, rows, sha256: outputFile.sha256 },
      model: { saved_to: options.saveModel ?? null, loaded_from: options.loadModel ?? null },
      training,
      timings_s: seconds,
      attempts: [{ attempt: 1, parameters: paramValues(params), all_green: evaluation.verdict.allGreen, violations: evaluation.verdict.violations.map((v) => v.metric), train_seconds: seconds.train ?? 0 }],
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
      const table = renderEvaluation(evaluationReport, paths.out === '-' ? console.style : console.stdoutStyle);
      if (paths.out === '-') io.stderr.write(`${table}\n`);
      else console.data(table);
    }
    const failed = evaluation.verdict.violations.filter((v) => v.status === 'fail');
    const unevaluated = evaluation.verdict.violations.filter((v) => v.status !== 'fail');
    for (const check of unevaluated) console.warn(`${check.metric} was not evaluated: ${check.message ?? 'no value'}`);
    if (failed.length) {
      throw new GesalpError(
        'gate',
        `the synthetic rows fail ${failed.map((v) => `${v.metric} (${v.value} ${v.op === '<=' ? '>' : '<'} ${v.threshold})`).join(', ')}; rows and report were written`,
        `See the report's per-column figures; train longer with --n-iter, or let gesalp suggest parameters (gesalp suggest --previous ${paths.report}).`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof SamplingStopped) throw new GesalpError('interrupted', 'stopped by Ctrl-C; nothing was written');
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    model.dispose();
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface ModelSetup {
  readonly model: TabDdpm;
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
  if (rows - holdoutRows < 2) throw inputError(`${input.path} has ${rows} rows: too few to train on after keeping ${holdoutRows} for the holdout`, 'Give a table with more rows, or lower --holdout-fraction.');
  const split = splitRows(rows, { seed: options.seed, fraction });
  const params = resolveParams({
    space: MODELS.ddpm.space,
    defaults: tabDdpmDefaults(split.train.length, table.columns.length),
    flags: { n_iter: options.nIter, batch_size: options.batchSize, lr: options.lr },
    params: options.param ?? [],
  });
  const warnings: string[] = [];
  const epochs = paramValues(params).n_iter;
  if (epochs < FEW_EPOCHS) warnings.push(`n_iter ${epochs} is below ${FEW_EPOCHS}: the model may not learn the distribution`);
  if (fraction === 0) warnings.push('--holdout-fraction 0: every row trains the model, so mia_auc needs an external holdout (gesalp evaluate --holdout)');
  for (const w of warnings) console.warn(w);
  return {
    model: new TabDdpm(paramValues(params) as TabDdpmParams),
    split: { seed: options.seed, fraction, input_sha256: input.sha256, rows, train_rows: split.train.length, holdout_rows: split.holdout.length },
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
    throw inputError(`${input.path} has columns ${actual.join(', ')}; the model in ${dir} was trained on ${expected.join(', ')}`, 'Give the table the model was trained on (the same columns in the same order).');
  }
  const params = Object.entries(model.params).map(([name, value]) => ({ name, value, source: `saved model` }));
  const warnings: string[] = [];
  if (saved && saved.input_sha256 === input.sha256 && saved.rows === table.rowCount) {
    const split = splitRows(table.rowCount, saved);
    return { model, split: saved, trainRows: split.train, holdoutRows: split.holdout, params, warnings };
  }
  warnings.push(`${input.path} is not the file the model was trained on: metrics compare against all of it, without a holdout`);
  for (const w of warnings) console.warn(w);
  const all = Int32Array.from({ length: table.rowCount }, (_, i) => i);
  const split: SplitRecord = { seed: saved?.seed ?? 0, fraction: 0, input_sha256: input.sha256, rows: table.rowCount, train_rows: table.rowCount, holdout_rows: 0 };
  return { model, split, trainRows: all, holdoutRows: new Int32Array(0), params, warnings };
}
