/** gesalp evaluate REAL SYNTHETIC: the metrics, checks and verdict of SPEC sections 3-4. */
import { Command, Option } from 'commander';
import { BACKENDS, type BackendChoice } from '../core/backend-names.js';
import { GesalpError, usageError } from '../core/errors.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../metrics/privacy-sample.js';
import { nothingCheckedError } from './gate.js';
import { describeFailure } from '../core/text/format.js';
import { checkHtmlPath, HEATMAP_COLUMNS_HELP, heatmapColumnsOption, writeHtmlReport } from './html-report.js';
import { Console, type CommonOptions, type Io } from './io.js';
import { readMetadata } from './metadata-flags.js';
import { readingOptions, withDialectOptions } from './dialect-flags.js';
import { integerOption, listOption, repeatOption, withCommonOptions } from './options.js';

interface EvaluateOptions extends CommonOptions {
  readonly schema?: string;
  readonly holdout?: string;
  readonly split?: string;
  readonly allGreen?: boolean;
  readonly threshold?: string[];
  readonly config?: string;
  readonly discrete?: string[];
  readonly continuous?: string[];
  readonly privacySample: number;
  readonly backend: BackendChoice;
  readonly threads?: number;
  readonly out?: string;
  readonly html?: string;
  readonly heatmapColumns?: number;
  readonly target?: string;
  readonly attacks?: number;
  readonly secret?: string;
}

export function evaluateCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('evaluate')
    .description(
      'score a synthetic table against its real source: fidelity, duplicates, distances, membership inference',
    )
    .argument('<real>', 'real rows the synthetic ones were trained on (CSV; - for stdin)')
    .argument('<synthetic>', 'synthetic rows (CSV; - for stdin)')
    .option('--holdout <file>', 'real rows NOT used in training (needed for dcr_train_share and mia_auc)')
    .option('--split <report>', 'rebuild train/holdout from a gesalp generate report (REAL is the original input)')
    .option('--all-green', 'exit 4 unless every check was evaluated and passed')
    .option('--threshold <name=value>', 'override a threshold (repeatable; =off drops the check)', repeatOption)
    .option('--config <file>', 'JSON file with {"thresholds": {...}}')
    .option('--schema <file>', "the table's metadata file (gesalp schema INPUT): its declared kinds type the columns")
    .option('--discrete <columns>', 'treat these columns as categorical (comma-separated)', listOption)
    .option('--continuous <columns>', 'treat these integer-coded columns as numeric (comma-separated)', listOption)
    .option('--target <column>', 'add ML efficacy: train on real and on synthetic rows to predict this column')
    .option('--attacks <n>', 'attacks per side for the singling-out, linkability and inference risks', integerOption(1))
    .option('--secret <column>', 'the column the inference attack guesses (default: --target, else the last column)')
    .option('--privacy-sample <n>', 'rows per set for the distance metrics', integerOption(10), DEFAULT_PRIVACY_SAMPLE)
    .addOption(
      new Option('--backend <name>', 'TensorFlow.js backend for the metrics (fused: its wasm backend)')
        .choices(['auto', ...BACKENDS])
        .default('auto'),
    )
    .addOption(new Option('--threads <n>', 'threads for the distance search').argParser(integerOption(1)).hideHelp())
    .option('-o, --out <file>', 'also write the JSON report to this file (- for stdout, instead of the table)')
    .option('--html <file>', 'also write the self-contained HTML report with plots to this file')
    .option('--heatmap-columns <n>', HEATMAP_COLUMNS_HELP, heatmapColumnsOption);
  withDialectOptions(command);
  return withCommonOptions(command).action(async (real: string, synthetic: string, options: EvaluateOptions) => {
    setExit(await runEvaluate(io, real, synthetic, options));
  });
}

async function runEvaluate(io: Io, realPath: string, syntheticPath: string, options: EvaluateOptions): Promise<number> {
  const console = new Console(io, options);
  // Loaded here, not at start-up, so other commands and --help do not pay for TensorFlow.js.
  const [
    { evaluate },
    { loadThresholdConfig, configFiles },
    { checkOutputPaths },
    { writeFileAtomic },
    { renderEvaluation },
    { nothingChecked },
  ] = await Promise.all([
    import('../api/evaluate.js'),
    import('../metrics/thresholds.js'),
    import('../core/io/output-guard.js'),
    import('../core/io/atomic-write.js'),
    import('../presentation/terminal/evaluation-table.js'),
    import('../metrics/checks.js'),
  ]);
  checkHtmlPath(options.html);
  if (options.split && options.holdout)
    throw usageError(
      '--split and --holdout both give the holdout',
      'Use --split REPORT.json (rebuilds it from the input) or --holdout FILE, not both.',
    );
  // Before any work: -o must not overwrite REAL, SYNTHETIC or a file the run reads.
  await checkOutputPaths(
    [
      { role: 'REAL', path: realPath },
      { role: 'SYNTHETIC', path: syntheticPath },
      ...(options.holdout ? [{ role: '--holdout', path: options.holdout }] : []),
      ...(options.split ? [{ role: '--split', path: options.split }] : []),
      ...configFiles({ configFile: options.config, cwd: io.cwd }).map((path) => ({
        role: path === options.config ? '--config' : 'the config file',
        path,
      })),
    ],
    [
      ...(options.out ? [{ role: '--out', path: options.out }] : []),
      ...(options.html ? [{ role: '--html', path: options.html }] : []),
    ],
    io.cwd,
  );
  const paths = [realPath, syntheticPath, ...(options.holdout ? [options.holdout] : [])];
  if (paths.filter((p) => p === '-').length > 1)
    throw usageError('only one input can be read from stdin (-)', 'Give the other inputs as files.');
  const config = loadThresholdConfig({ flags: options.threshold, configFile: options.config, cwd: io.cwd });
  for (const file of config.files) console.info(`config: thresholds from ${file}`);
  const [real, synthetic, holdout] = paths.map((p) => (p === '-' ? { name: 'stdin', stream: io.stdin } : p));
  const metadata = readMetadata(options, false);
  const { dialect } = readingOptions(options, console);
  const report = await evaluate(
    real,
    synthetic,
    {
      ...(holdout ? { holdout } : {}),
      ...(options.split ? { split: options.split } : {}),
      thresholds: config.thresholds,
      config_files: config.files,
      ...(metadata ? { metadata } : {}),
      discrete: options.discrete,
      continuous: options.continuous,
      dialect,
      target: options.target,
      attacks: options.attacks,
      secret: options.secret,
      privacy_sample: options.privacySample,
      seed: options.seed,
      backend: options.backend,
      threads: options.threads,
      heatmap_columns: options.heatmapColumns,
    },
    { info: (text) => console.info(text), warn: (text) => console.warn(text) },
  );
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // -o - is stdout (SPEC section 2): the report there, as with --json, and no table beside it.
  if (options.out && options.out !== '-') await writeFileAtomic(options.out, json);
  if (options.html) {
    const seconds = await writeHtmlReport(options.html, { evaluation: report });
    console.info(`html report: ${options.html} (${seconds.toFixed(1)} s)`);
  }
  for (const warning of report.warnings) console.warn(warning);
  if (options.json || options.out === '-') console.data(json);
  // -q keeps only asked-for data on stdout (the JSON above): the tables summarise, the exit code and the report decide.
  else if (!options.quiet) console.data(renderEvaluation(report, console.stdoutStyle));
  if (options.allGreen && nothingChecked(report.checks)) throw nothingCheckedError();
  const failures = report.violations.map(describeFailure).join(', ');
  if (options.allGreen && !report.all_green) throw new GesalpError('gate', `quality gate failed: ${failures}`);
  // One exit rule (SPEC section 2): without the gate the verdict is in the report, and a warning names it.
  if (nothingChecked(report.checks))
    console.warn('NOTHING CHECKED: every check is turned off or has nothing to measure (all_green is false)');
  else if (!report.all_green)
    console.warn(`the synthetic rows fail ${failures} (the verdict is in the report; --all-green makes this exit 4)`);
  return 0;
}
