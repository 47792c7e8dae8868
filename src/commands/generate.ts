/** gesalp generate INPUT: train a synthesizer, sample rows, write them and the report, show the metrics (SPEC section 2). */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { BACKENDS } from '../core/backend-names.js';
import { GesalpError } from '../core/errors.js';
import { METHOD_IDS, MODELS } from '../models/registry.js';
import type { GenerateResult } from '../pipeline/generate.js';
import {
  capThreads,
  checkGenerateOptions,
  defaultThreads,
  OPTIMIZE_ATTEMPTS,
  otherParams,
  outputPaths,
  paramHelp,
  planShape,
  requestsPrivacy,
  rowsToSample,
  runFlags,
  type GenerateOptions,
} from './generate-options.js';
import { checkPrivacyFlags, privacyRequest, wantsPrivacy, withPrivacyOptions } from './privacy-flags.js';
import { privacySummary } from './privacy-summary.js';
import { checkTargetFlags } from './target-flags.js';
import { checkHtmlPath, HEATMAP_COLUMNS_HELP, heatmapColumnsOption, writeHtmlReport } from './html-report.js';
import type { Console, Io } from './io.js';
import { fractionOption, integerOption, listOption, repeatOption, withCommonOptions } from './options.js';

export function generateCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('generate')
    .description('train a synthesizer on a table and write synthetic rows, the report and the metrics')
    .argument('<input>', 'real rows (CSV, Parquet or Arrow; - for stdin)')
    .option('-m, --method <name>', `${METHOD_IDS.join(' | ')} | auto`, 'ddpm')
    .option('-o, --out <file>', 'synthetic rows as CSV (default <input stem>.synthetic.csv; - for stdout)')
    .option('-n, --rows <n>', 'rows to sample (default: as many as the input)', integerOption(1))
    .option('--n-iter <n>', paramHelp('n_iter'))
    .option('--batch-size <n>', paramHelp('batch_size'))
    .option('--lr <x>', paramHelp('lr'))
    .option('--param <key=value>', `any other declared hyperparameter (repeatable): ${otherParams()}`, repeatOption)
    .option('--discrete <columns>', 'treat these columns as categorical (comma-separated)', listOption)
    .option('--continuous <columns>', 'treat these integer-coded columns as numeric (comma-separated)', listOption)
    .option(
      '--holdout-fraction <f>',
      'rows kept out of training for the privacy metrics (0: train on all)',
      fractionOption(0, 1),
      0.2,
    )
    .addOption(
      new Option('--backend <name>', 'what runs the networks: fused (WebAssembly SIMD) or a TensorFlow.js backend')
        .choices(['auto', ...BACKENDS])
        .default('auto'),
    )
    .option(
      '--threads <n>',
      'training threads (part of what makes a seeded run repeatable)',
      integerOption(1),
      defaultThreads(),
    )
    .option('--report <file>', 'the JSON report (default <out stem>.report.json)')
    .option('--html [file]', 'also write the self-contained HTML report with plots (default <out stem>.report.html)')
    .option('--heatmap-columns <n>', HEATMAP_COLUMNS_HELP, heatmapColumnsOption)
    .option(
      '--target <column>',
      'add ML efficacy: models trained on the training rows and on the synthetic rows predict this column of the holdout',
    )
    .option(
      '--condition <column=value>',
      'sample only rows with this value of a categorical column, -n rows of each (repeatable, one column)',
      repeatOption,
    )
    .option('--save-model <dir>', 'save the trained model to this folder')
    .option('--load-model <dir>', 'sample from a saved model instead of training')
    .option('--threshold <name=value>', 'override a threshold (repeatable; =off drops the check)', repeatOption)
    .option('--config <file>', 'JSON file with {"thresholds": {...}}')
    .option('--excel-safe', "prefix cells a spreadsheet would run as a formula (=, +, -, @) with '")
    .option(
      '--max-attempts <n>',
      'retry with optimizer-adjusted parameters until all green; the best attempt is kept (default 1)',
      integerOption(1),
    )
    .option('--optimize', `optimizer-suggested parameters and up to ${OPTIMIZE_ATTEMPTS} attempts`)
    .option('--grid <name=v1,v2>', 'run every combination of these values (repeatable) and keep the best', repeatOption)
    .option(
      '--no-early-stop',
      'train every epoch, without checkpoints that stop once all checks are green and no longer improving',
    );
  return withCommonOptions(withPrivacyOptions(command)).action(async (input: string, options: GenerateOptions) => {
    setExit(await runGenerate(io, input, options));
  });
}

async function runGenerate(io: Io, inputPath: string, options: GenerateOptions): Promise<number> {
  checkGenerateOptions(options);
  checkHtmlPath(typeof options.html === 'string' ? options.html : undefined);
  const lib = await loadLibrary();
  const console = new lib.Console(io, options);
  const started = performance.now();
  // A named method's flags are checked before the input is read; auto's once the table has chosen it.
  if (options.method !== 'auto') {
    const early = runFlags(options, MODELS[lib.knownMethod(options.method)].space);
    checkPrivacyFlags(options, planShape(early.plan, options));
  }
  const paths = outputPaths(io, inputPath, options);
  const configs = lib.configFiles({ configFile: options.config, cwd: io.cwd });
  await lib.checkOutputPaths(
    [
      { role: 'INPUT', path: inputPath },
      ...configs.map((path) => ({ role: path === options.config ? '--config' : 'the config file', path })),
      ...(options.loadModel ? lib.modelFiles(options.loadModel) : []),
      ...(options.publicBounds ? [{ role: '--public-bounds', path: options.publicBounds }] : []),
      ...(options.publicValidation ? [{ role: '--public-validation', path: options.publicValidation }] : []),
    ],
    [
      { role: '--out', path: paths.out },
      { role: '--report', path: paths.report },
      ...(paths.html ? [{ role: '--html', path: paths.html }] : []),
      // A model folder that exists already gets written into: its files are outputs too.
      ...(options.saveModel && existsSync(options.saveModel) ? lib.modelFiles(options.saveModel) : []),
    ],
    io.cwd,
  );
  const config = lib.loadThresholdConfig({ flags: options.threshold, configFile: options.config, cwd: io.cwd });
  for (const file of config.files) console.info(`config: thresholds from ${file}`);
  const source = inputPath === '-' ? { name: 'stdin', stream: io.stdin } : inputPath;
  const loaded = await lib.loadInputs([source, ...(options.publicValidation ? [options.publicValidation] : [])], {
    discrete: options.discrete,
    continuous: options.continuous,
  });
  const [table, input] = [loaded.tables[0], loaded.files[0]];
  const readSeconds = (performance.now() - started) / 1000;
  console.info(`read ${input.path}: ${lib.formatCount(input.rows)} rows x ${input.columns} columns`);
  checkTargetFlags(table, { target: options.target });
  const method = lib.resolveMethod(options.method, table, requestsPrivacy(options));
  const run = runFlags(options, MODELS[method.id].space, method.id);
  const shape = planShape(run.plan, options);
  checkPrivacyFlags(options, shape);
  console.info(`method: ${method.id} (${method.reason})`);
  const rows = rowsToSample(options.rows, table);
  const privacy = wantsPrivacy(options, shape)
    ? privacyRequest(options, shape, {
        schema: loaded.schema,
        trainRows: table.rowCount - lib.holdoutCount(table.rowCount, options.holdoutFraction),
        validation: loaded.tables[1],
      })
    : undefined;
  const threads = capThreads(options.threads, (text) => console.warn(text));
  const backend = await lib.useBackend(options.backend);
  console.info(`backend: ${backend.name}`);
  const store = options.loadModel ? await lib.loadTrained(options.loadModel) : undefined;

  const progress = new lib.Progress(io, console, Boolean(options.quiet));
  const stopTraining = new AbortController();
  const stopAll = new AbortController();
  const onInterrupt = () => {
    progress.clear();
    if (store || stopTraining.signal.aborted) {
      console.warn('stopping; nothing will be written');
      stopAll.abort();
    } else {
      console.warn(
        'stopping training after this step; the rows will be sampled from what was learnt (Ctrl-C again to abort without writing)',
      );
      stopTraining.abort();
    }
  };
  process.on('SIGINT', onInterrupt);
  let result: GenerateResult | undefined;
  try {
    result = await lib.generate(
      table,
      {
        method,
        input,
        schema: loaded.schema,
        rows,
        ...run,
        privacy,
        holdoutFraction: options.holdoutFraction,
        thresholds: config.thresholds,
        configFiles: config.files,
        backend: backend.name,
        seed: options.seed,
        threads,
        earlyStop: options.earlyStop,
        loaded: store && options.loadModel ? { ...store, dir: options.loadModel } : undefined,
        saveTo: options.saveModel,
        outputPath: paths.out,
        excelSafe: options.excelSafe,
        heatmapColumns: options.heatmapColumns,
        target: options.target,
        stopTraining: stopTraining.signal,
        stopAll: stopAll.signal,
      },
      {
        info: (text) => console.info(text),
        warn: (text) => console.warn(text),
        planned: (params, split) => {
          console.info(
            `split: ${lib.formatCount(split.train_rows)} training rows, ${lib.formatCount(split.holdout_rows)} holdout rows (seed ${split.seed}, fraction ${split.fraction})`,
          );
          if (!options.quiet && !options.json) io.stderr.write(`${lib.renderParams(params)}\n`);
        },
        estimate: (s) => progress.estimate(s),
        training: (p) => progress.training(p),
        sampling: (done, total, seconds) => progress.sampling(done, total, seconds),
        attemptDone: () => progress.clear(),
      },
    );
    return await finish(io, console, options, paths, result, { lib, started, readSeconds });
  } finally {
    process.off('SIGINT', onInterrupt);
    result?.model.dispose();
    if (store && store.model !== result?.model) store.model.dispose();
  }
}

/** The library, loaded on use so that `gesalp --help` and the other commands start fast. */
async function loadLibrary() {
  const modules = await Promise.all([
    import('../core/backend.js'),
    import('../core/config.js'),
    import('../core/io/atomic-write.js'),
    import('../core/io/load-inputs.js'),
    import('../core/io/output-guard.js'),
    import('../core/render/attempts-table.js'),
    import('../core/render/evaluation-table.js'),
    import('../core/render/format.js'),
    import('../core/render/params-table.js'),
    import('../core/split.js'),
    import('../models/registry.js'),
    import('../pipeline/generate.js'),
    import('../pipeline/model-store.js'),
    import('../pipeline/report.js'),
    import('./io.js'),
    import('./progress.js'),
  ]);
  return Object.assign({}, ...modules) as UnionToIntersection<(typeof modules)[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Library = Awaited<ReturnType<typeof loadLibrary>>;

/** Writes the rows, the model and the report, renders the verdict, and turns a failed gate into exit 4. */
async function finish(
  io: Io,
  console: Console,
  options: GenerateOptions,
  paths: { out: string; report: string; html?: string },
  result: GenerateResult,
  run: { lib: Library; started: number; readSeconds: number },
): Promise<number> {
  const { lib } = run;
  const attempts = result.report.attempts;
  if (attempts.length > 1) {
    console.info(
      `${result.report.optimizer.mode === 'grid' ? 'grid' : 'attempts'} (${result.report.optimizer.ending}):`,
    );
    if (!options.quiet && !options.json) io.stderr.write(`${lib.renderAttempts(attempts, console.style)}\n`);
  }
  if (options.saveModel) {
    await lib.saveTrained(result.model, result.split, options.saveModel);
    console.info(`model saved to ${options.saveModel}`);
  }
  const writeStart = performance.now();
  if (paths.out === '-') io.stdout.write(result.csv);
  else await lib.writeFileAtomic(paths.out, result.csv);
  if (paths.out !== '-') console.info(`wrote ${paths.out}`);
  const report = lib.withTimings(result.report, {
    read: run.readSeconds,
    write: (performance.now() - writeStart) / 1000,
    total: (performance.now() - run.started) / 1000,
  });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await lib.writeFileAtomic(paths.report, json);
  console.info(`report: ${paths.report}`);
  if (paths.html) {
    const seconds = await writeHtmlReport(paths.html, { evaluation: report.evaluation, generation: report });
    console.info(`html report: ${paths.html} (${seconds.toFixed(1)} s)`);
  }
  if (report.privacy) for (const line of privacySummary(report.privacy)) console.info(line);
  if (report.privacy && attempts.length > 1) {
    const chosen = attempts.find((a) => a.kept)!;
    console.info(
      `chosen: attempt ${chosen.attempt} at epsilon ${chosen.epsilon} (best verdict; 'front' marks the attempts no other beats on both epsilon and verdict)`,
    );
  }
  for (const warning of report.evaluation.warnings) console.warn(warning);
  if (options.json) console.data(json);
  else if (!options.quiet) {
    const rendered = lib.renderEvaluation(report.evaluation, paths.out === '-' ? console.style : console.stdoutStyle);
    if (paths.out === '-') io.stderr.write(`${rendered}\n`);
    else console.data(rendered);
  }
  const failed = report.evaluation.violations.filter((v) => v.status === 'fail');
  for (const check of report.evaluation.violations.filter((v) => v.status !== 'fail')) {
    console.warn(`${check.metric} was not evaluated: ${check.message ?? 'no value'}`);
  }
  if (!failed.length) return 0;
  const tried =
    attempts.length > 1 ? ` after ${attempts.length} attempts (kept attempt ${report.optimizer.kept_attempt})` : '';
  throw new GesalpError(
    'gate',
    `the synthetic rows fail ${failed.map((v) => `${v.metric} (${v.value} ${v.op === '<=' ? '>' : '<'} ${v.threshold})`).join(', ')}${tried}; rows and report were written`,
    `See why and what to change: gesalp analyze-failure ${paths.report}${attempts.length > 1 ? '' : '; or let gesalp retry with --max-attempts 4'}.`,
  );
}
