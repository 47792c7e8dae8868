/** gesalp generate INPUT: train a synthesizer, sample rows, write them and the report, show the metrics (SPEC section 2). */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BACKENDS } from '../core/backend-names.js';
import { REGISTRY } from '../models/registry.js';
import { usefulThreads } from '../models/nn/train/useful-threads.js';
import { finish, stdoutRows } from './generate-output.js';
import { loadLibrary } from './generate-library.js';
import { attemptPlan } from '../api/generate.js';
import { DEFAULT_PARALLEL_ATTEMPTS } from '../pipeline/attempt-plan.js';
import { checkPrivacyOptions, planShape, wantsPrivacy } from '../api/privacy-options.js';
import { apiOptions, runFlags } from './generate-flags.js';
import {
  capThreads,
  checkGenerateOptions,
  OPTIMIZE_ATTEMPTS,
  otherParams,
  outputPaths,
  paramHelp,
  threadsOption,
  type GenerateOptions,
} from './generate-options.js';
import { privacyOptions, withPrivacyOptions } from './privacy-flags.js';
import { readMetadata } from './metadata-flags.js';
import { readingOptions, withDialectOptions } from './dialect-flags.js';
import { checkHtmlPath, HEATMAP_COLUMNS_HELP, heatmapColumnsOption } from './html-report.js';
import type { Io } from './io.js';
import {
  fractionOption,
  integerOption,
  listOption,
  positiveNumber,
  repeatOption,
  withCommonOptions,
} from './options.js';
import { readJsonReport } from './report-files.js';
import { usageError } from '../core/errors.js';
import {
  readsDatabase,
  runDatabaseGenerate,
  withDatabaseSourceOptions,
  type DatabaseSourceFlags,
} from './database-source-flags.js';
import {
  checkFileEngineFlags,
  largeFileHint,
  readsOutOfCore,
  withFileEngineOptions,
  type FileEngineFlags,
} from './file-engine-flags.js';
import { runFileGenerate } from './file-engine-run.js';

export function generateCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('generate')
    .description('train a synthesizer on a table and write synthetic rows, the report and the metrics')
    .argument('[input]', 'real rows (CSV, Parquet or Arrow; - for stdin); omit with --client')
    .option('-m, --method <name>', `${REGISTRY.ids.join(' | ')} | auto`, REGISTRY.ids[0])
    .option('-o, --out <file>', 'synthetic rows as CSV (default <input stem>.synthetic.csv; - for stdout)')
    .option('-n, --rows <n>', 'rows to sample (default: as many as the input)', integerOption(1))
    .option('--n-iter <n>', paramHelp('n_iter'))
    .option('--batch-size <n>', paramHelp('batch_size'))
    .option('--lr <x>', paramHelp('lr'))
    .option('--param <key=value>', `any other declared hyperparameter (repeatable): ${otherParams()}`, repeatOption)
    .option(
      '--schema <file>',
      "the table's metadata file (gesalp schema INPUT drafts one): declared kinds and, under DP, public bounds and categories",
    )
    .option(
      '--keep-id <columns>',
      'identifier columns to write with fresh values of their format (never a real one) instead of dropping them',
      listOption,
    )
    .option('--no-id-detection', 'learn identifier-like columns (keys, emails, names) like any other: they can leak')
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
      '--validation-fraction <f>',
      'rows that judge early-stop checkpoints and attempts instead of the holdout (default 0.1, taken only when the run makes such choices; not under DP)',
      fractionOption(0, 1),
    )
    .option(
      '--threads <n>',
      'training threads (part of what makes a seeded run repeatable), or auto: each attempt times a few steps on 1 thread and on more (up to the cores, at most 4) and trains on the fastest (the report then says the run repeats only on the count chosen)',
      threadsOption,
      usefulThreads(),
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
    .option(
      '--init-from <dir>',
      "fine-tune the model saved in this folder on INPUT's rows (same columns) instead of training from zero; its method and architecture are kept",
    )
    .option('--no-eval', 'with --load-model: write the rows and the report without computing the metrics')
    .option('--threshold <name=value>', 'override a threshold (repeatable; =off drops the check)', repeatOption)
    .option('--config <file>', 'JSON file with {"thresholds": {...}}')
    .option(
      '--all-green',
      'exit 4 unless every check was evaluated and passed (a run of several attempts exits 4 when none was)',
    )
    .option('--excel-safe', "prefix cells a spreadsheet would run as a formula (=, +, -, @) with '")
    .option(
      '--max-attempts <n>',
      'retry with optimizer-adjusted parameters until all green; the best attempt is kept (default 1)',
      integerOption(1),
    )
    .option('--optimize', `optimizer-suggested parameters and up to ${OPTIMIZE_ATTEMPTS} attempts`)
    .option('--grid <name=v1,v2>', 'run every combination of these values (repeatable) and keep the best', repeatOption)
    .addOption(
      new Option(
        '--search <how>',
        "how attempts after the first are chosen: rules (the optimizer's changes) or bayes (a surrogate over the method's search box, seeded by the rules, pruning poor attempts at checkpoints; 10 attempts unless --max-attempts or --time-budget)",
      ).choices(['rules', 'bayes']),
    )
    .option(
      '--time-budget <s>',
      'seconds the attempts may take: none starts after it, training in progress stops at it (the report then says the run is not repeatable)',
      positiveNumber,
    )
    .option(
      '--prefer <objective>',
      'keep the attempt on the privacy-utility-time front that favours utility, privacy or time, or weights (utility=2,time=1), among the best-standing attempts',
    )
    .option(
      '--parallel-attempts <n>',
      `attempts of --search bayes or --grid that run side by side, each on its own --threads (default ${DEFAULT_PARALLEL_ATTEMPTS})`,
      integerOption(1),
    )
    .option(
      '--ensemble <k>',
      "keep a mixture of the k (2-3) best attempts' rows, weighted on the validation split, where it beats the best attempt",
      integerOption(2),
    )
    .option(
      '--previous <report>',
      'an earlier generation report whose attempts warm-start the search (repeatable)',
      repeatOption,
    )
    .option(
      '--no-early-stop',
      'train every epoch, without checkpoints that stop once all checks are green and no longer improving',
    );
  withDialectOptions(command);
  withDatabaseSourceOptions(command);
  withFileEngineOptions(command);
  return withCommonOptions(withPrivacyOptions(command)).action(
    async (
      input: string | undefined,
      options: GenerateOptions & DatabaseSourceFlags & FileEngineFlags,
      self: Command,
    ) => {
      const seedGiven = self.getOptionValueSource('seed') === 'cli';
      // --engine duckdb honours a part of generate's flags: the rest, given, are refused here.
      checkFileEngineFlags(self, options);
      if (options.initFrom && readsDatabase(options))
        throw usageError(
          '--init-from fine-tunes a neural model on rows; --client measures marginals where the table lives and exports no rows',
          'Drop --init-from, or fine-tune on a file of the rows.',
        );
      // A table read where it lives (--client): only counts leave the database.
      if (readsDatabase(options)) return setExit(await runDatabaseGenerate(io, input, options, seedGiven));
      if (input === undefined)
        throw usageError(
          'INPUT is required',
          'Name the file of real rows, or read a database table with --client and --table.',
        );
      // A file read out of core (--engine duckdb): aim on DuckDB's counts, the rows never in memory.
      if (readsOutOfCore(options)) return setExit(await runFileGenerate(io, input, options, seedGiven));
      // --init-from: the method is the saved model's, unless --method names one (which must agree).
      const initMethod = options.initFrom && self.getOptionValueSource('method') !== 'cli';
      // --init-from: the holdout fraction is the saved model's split's, unless --holdout-fraction is given.
      const initHoldout = options.initFrom && self.getOptionValueSource('holdoutFraction') !== 'cli';
      const fineTune = {
        ...(initMethod ? { method: 'auto' as const } : {}),
        ...(initHoldout ? { holdoutFraction: undefined } : {}),
      };
      setExit(await runGenerate(io, input, { ...options, ...fineTune }, seedGiven));
    },
  );
}

async function runGenerate(io: Io, inputPath: string, options: GenerateOptions, seedGiven: boolean): Promise<number> {
  checkGenerateOptions(options);
  checkHtmlPath(typeof options.html === 'string' ? options.html : undefined);
  const lib = await loadLibrary();
  const console = new lib.Console(io, options);
  const started = performance.now();
  // A file too large for memory: say which path reads it out of core (a missing one is refused when read).
  const file = inputPath === '-' ? undefined : await stat(resolve(io.cwd, inputPath)).catch(() => undefined);
  const hint = file?.isFile() ? largeFileHint(file.size, totalmem()) : undefined;
  if (hint) console.warn(hint);
  // Before anything is read: a named method's flags against its space; auto's budget flags against the plan's shape.
  const early =
    options.method !== 'auto'
      ? runFlags(options, REGISTRY.get(options.method).space).plan
      : attemptPlan(apiOptions(options, seedGiven));
  const privacy = privacyOptions(options);
  const shape = planShape(early, Boolean(options.loadModel), Boolean(options.publicValidation));
  checkPrivacyOptions(privacy, shape);
  const paths = outputPaths(io, inputPath, options);
  const configs = lib.configFiles({ configFile: options.config, cwd: io.cwd });
  await lib.checkOutputPaths(
    [
      { role: 'INPUT', path: inputPath },
      ...configs.map((path) => ({ role: path === options.config ? '--config' : 'the config file', path })),
      ...(options.loadModel ? lib.modelFiles(options.loadModel) : []),
      ...(options.initFrom ? lib.modelFiles(options.initFrom).map((f) => ({ ...f, role: '--init-from' })) : []),
      ...(options.publicBounds ? [{ role: '--public-bounds', path: options.publicBounds }] : []),
      ...(options.schema ? [{ role: '--schema', path: options.schema }] : []),
      ...(options.publicValidation ? [{ role: '--public-validation', path: options.publicValidation }] : []),
      ...(options.previous ?? []).map((path) => ({ role: '--previous', path })),
    ],
    [
      { role: '--out', path: paths.out },
      { role: '--report', path: paths.report },
      ...(paths.html ? [{ role: '--html', path: paths.html }] : []),
      ...(paths.privateReport ? [{ role: '--private-report', path: paths.privateReport }] : []),
      ...(paths.privateHtml ? [{ role: 'the private HTML report', path: paths.privateHtml }] : []),
      // A model folder that exists already gets written into: its files are outputs too.
      ...(options.saveModel && existsSync(options.saveModel) ? lib.modelFiles(options.saveModel) : []),
    ],
    io.cwd,
  );
  const config = lib.loadThresholdConfig({ flags: options.threshold, configFile: options.config, cwd: io.cwd });
  for (const file of config.files) console.info(`config: thresholds from ${file}`);
  const metadata = readMetadata(options, wantsPrivacy(privacy, shape));
  const threads = capThreads(options.threads, (text) => console.warn(text));

  const progress = new lib.Progress(io, console, Boolean(options.quiet));
  const stopTraining = new AbortController();
  const stopAll = new AbortController();
  const onInterrupt = () => {
    progress.clear();
    if (options.loadModel || stopTraining.signal.aborted) {
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
  try {
    const result = await lib.generate(
      inputPath === '-' ? { name: 'stdin', stream: io.stdin } : inputPath,
      {
        ...apiOptions(options, seedGiven),
        ...(options.previous?.length
          ? { previous: options.previous.map(readJsonReport), previous_names: options.previous }
          : {}),
        ...(metadata ? { metadata } : {}),
        threads,
        thresholds: config.thresholds,
        config_files: config.files,
        output_path: paths.out,
        // The library writes the rows: whole, or past CHUNK_ROWS a chunk at a time as they are sampled.
        ...(paths.out !== '-' ? { out: paths.out } : {}),
        private_report: options.privateReport !== undefined,
        dialect: readingOptions(options, console).dialect,
      },
      {
        info: (text) => console.info(text),
        warn: (text) => console.warn(text),
        planned: (params, split) => {
          console.info(
            split.train_rows === null || split.holdout_rows === null
              ? `split: a keyed hash of each row keeps about ${split.fraction * 100} % of the rows for the holdout (the counts are private under DP)`
              : `split: ${lib.formatCount(split.train_rows)} training rows, ${lib.formatCount(split.holdout_rows)} holdout rows${split.validation?.rows ? `, ${lib.formatCount(split.validation.rows)} validation rows that judge checkpoints and attempts` : ''} (key ${split.seed}, fraction ${split.fraction})`,
          );
          if (!options.quiet && !options.json) io.stderr.write(`${lib.renderParams(params)}\n`);
        },
        estimate: (s) => progress.estimate(s),
        training: (p) => progress.training(p),
        sampling: (done, total, seconds) => {
          progress.sampling(done, total, seconds);
          // The last chunk written: the bar gives way to the lines that follow.
          if (done === total) progress.clear();
        },
        attemptDone: () => progress.clear(),
        checkpoint: (event) => progress.checkpoint(event),
        stopTraining: stopTraining.signal,
        signal: stopAll.signal,
        rows: stdoutRows(io),
      },
    );
    return await finish(io, console, options, paths, result, { lib, started });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
