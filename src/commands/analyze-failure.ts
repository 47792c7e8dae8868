/** gesalp analyze-failure [REPORT.json]: failure types, severity, root cause and parameter changes (SPEC section 2). */
import { Command } from 'commander';
import { loadThresholdConfig } from '../metrics/thresholds.js';
import { renderChanges, renderFailures } from '../presentation/terminal/analysis-tables.js';
import { usageError } from '../core/errors.js';
import type { Style } from '../presentation/terminal/style.js';
import { analysisOf, type FailureAnalysis } from '../api/analyze-failure.js';
import type { RunReport } from '../api/run-description.js';
import { REGISTRY } from '../models/registry.js';
import { nextRun, type NextRun } from '../optimizer/next-run.js';
import { DEDICATED } from './generate-options.js';
import { describeRun, readReport, type RunDescription } from './analysis-input.js';
import { Console, type CommonOptions, type Io } from './io.js';
import {
  fractionOption,
  integerOption,
  listOption,
  positiveNumber,
  repeatOption,
  withCommonOptions,
} from './options.js';

interface AnalyzeOptions extends CommonOptions, RunDescription {
  readonly threshold?: string[];
  readonly config?: string;
}

export function analyzeFailureCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('analyze-failure')
    .description(
      'explain why a run is not all green and what to change: failure types, severity, root cause, parameter changes',
    )
    .argument('[report]', 'the JSON report of gesalp generate or gesalp evaluate')
    .option(
      '--metrics <name=value,...>',
      'metric values instead of (or over) a report, e.g. ks_mean=0.73,mia_auc=0.2',
      listOption,
    )
    .option(
      '-m, --method <name>',
      `${REGISTRY.ids.join(' | ')} (default: the report's; an evaluate report names none, so its advice is method-neutral; without a report ${REGISTRY.ids[0]})`,
    )
    .option('--rows <n>', 'rows of the input table (training rows are what the holdout leaves)', integerOption(1))
    .option('--cols <n>', 'columns of the input table', integerOption(1))
    .option('--holdout-fraction <f>', 'share of --rows kept out of training', fractionOption(0, 1), 0.2)
    .option('--params <name=value,...>', "the run's parameters (unset ones: the size defaults)", listOption)
    .option('--epsilon <e>', 'the run trained with DP-SGD at this epsilon', positiveNumber)
    .option(
      '--max-epsilon <e>',
      "the most epsilon you will spend: a suggestion to raise epsilon stops here (default: the run's epsilon)",
      positiveNumber,
    )
    .option('--train-seconds <s>', 'how long training took (reports record it)', positiveNumber)
    .option('--time-budget <s>', 'training seconds above which the run counts as too slow', positiveNumber, 900)
    .option('--threshold <name=value>', 'override a threshold (repeatable)', repeatOption)
    .option('--config <file>', 'JSON file with {"thresholds": {...}}');
  return withCommonOptions(command).action(async (reportPath: string | undefined, options: AnalyzeOptions) => {
    setExit(runAnalyze(io, reportPath, options));
  });
}

function runAnalyze(io: Io, reportPath: string | undefined, options: AnalyzeOptions): number {
  const console = new Console(io, options);
  if (!reportPath && !options.metrics?.length)
    throw usageError(
      'nothing to analyse',
      'Give a report (gesalp analyze-failure run.report.json) or metrics (--metrics ks_mean=0.73 --rows 32561 --cols 15).',
    );
  const report = reportPath ? readReport(reportPath) : undefined;
  const overridden = options.threshold?.length || options.config;
  const config = overridden
    ? loadThresholdConfig({ flags: options.threshold, configFile: options.config, cwd: io.cwd })
    : undefined;
  for (const file of config?.files ?? []) console.info(`config: thresholds from ${file}`);
  const thresholds = config?.thresholds;
  const situation = describeRun(report, options, thresholds);
  const analysis = analysisOf(situation);
  if (options.json) {
    console.data(JSON.stringify(analysis, null, 2));
    return 0;
  }
  const style = console.stdoutStyle;
  const out: string[] = [];
  out.push(headline(analysis, report?.file, style));
  if (analysis.method === null)
    out.push('The report names no method (evaluate judges rows, whoever made them): give --method NAME for its rules.');
  const failing = situation.verdict.checks.filter((c) => c.status === 'fail');
  if (failing.length) out.push(renderFailures(analysis.failures, failing));
  // Most severe first (near < standard < severe < critical < extreme), each with what it read.
  for (const d of analysis.diagnoses) {
    out.push(`${style.bold(`[${d.severity}]`)} ${d.rule}: ${d.cause}`);
    out.push(`  read: ${[...new Set(d.evidence.map((e) => e.source))].join(', ')}`);
    for (const a of d.advice ?? []) out.push(`  - ${a}`);
  }
  if (analysis.changes.length) out.push('Suggested changes:', renderChanges(analysis.changes));
  else if (analysis.failures.length && analysis.method !== null)
    out.push('No parameter change left to suggest within the declared spaces: see the causes above.');
  const next = nextRun(situation, analysis.changes);
  if (next) out.push(`Next run: ${nextCommand(next, report)}`);
  console.data(out.join('\n'));
  return 0;
}

/** The generate command line of the next run: the report's input, output and target, the method and what differs from the defaults. */
function nextCommand(next: NextRun, report: RunReport | undefined): string {
  const run = report?.run;
  const words = [
    'gesalp generate',
    run?.input ? shellWord(run.input) : 'INPUT',
    `--method ${next.method}`,
    ...Object.entries(next.parameters).map(([param, value]) => flagFor(param, value)),
    ...(next.epsilon !== null ? [`--epsilon ${next.epsilon}`] : []),
    ...(run?.target ? [`--target ${shellWord(run.target)}`] : []),
    ...(run?.output ? [`-o ${shellWord(run.output)}`] : []),
  ];
  return words.join(' ');
}

/** A word the shell reads back as itself: quoted when it holds anything but plain path characters. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

function headline(analysis: FailureAnalysis, file: string | undefined, style: Style): string {
  if (!analysis.evaluated)
    return style.bad(
      `NOTHING EVALUATED: ${file ? `${file} holds no metric value` : 'no metric value given'}, so no check passed or failed (evaluate the run with gesalp evaluate, or give --metrics)`,
    );
  const missing = analysis.not_evaluated.length ? `; not evaluated: ${analysis.not_evaluated.join(', ')}` : '';
  // Failure types where the optimizer has one, the check's own name otherwise (sample_spread).
  const typed = new Map(analysis.failures.map((f) => [f.metric as string, f.type as string]));
  if (analysis.failing.length)
    return style.bad(
      `${analysis.failing.length} check(s) fail: ${analysis.failing.map((c) => typed.get(c) ?? c).join(', ')}${missing}`,
    );
  if (analysis.all_green) return style.good('ALL GREEN: every check was evaluated and passes');
  return style.bad(`NOT ALL GREEN: no evaluated check fails${missing || ' (see below)'}`);
}

const flagFor = (param: string, value: number): string =>
  Object.hasOwn(DEDICATED, param)
    ? `${DEDICATED[param as keyof typeof DEDICATED]} ${value}`
    : `--param ${param}=${value}`;
