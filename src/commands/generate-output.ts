/**
 * What generate writes and shows once the library has answered: the rows, the report
 * (and its HTML page), the terminal's verdict, and under DP (SPEC section 8) the separate file of
 * metrics against the private rows, written only when asked and marked as outside the guarantee.
 */
import { nothingCheckedError } from './gate.js';
import { GesalpError } from '../core/errors.js';
import { formatAgainst } from '../core/text/format.js';
import type { GenerateOutput } from '../api/generate.js';
import type { PrivateEvaluation } from '../pipeline/private-evaluation.js';
import type { GenerationReport } from '../pipeline/report.js';
import type { Library } from './generate-library.js';
import type { GenerateOptions, OutputPaths } from './generate-options.js';
import { writeHtmlReport } from './html-report.js';
import type { Console, Io } from './io.js';
import { privacySummary } from './privacy-summary.js';

/** Writes the rows and the report (the library saved the model), renders the verdict, and turns a failed gate into exit 4. */
export async function finish(
  io: Io,
  console: Console,
  options: GenerateOptions,
  paths: OutputPaths,
  result: GenerateOutput,
  run: { lib: Library; started: number },
): Promise<number> {
  const { lib } = run;
  const attempts = result.report.attempts;
  if (attempts.length > 1) {
    console.info(
      `${result.report.optimizer.mode === 'grid' ? 'grid' : 'attempts'} (${result.report.optimizer.ending}):`,
    );
    if (!options.quiet && !options.json) io.stderr.write(`${lib.renderAttempts(attempts, console.style)}\n`);
  }
  // The library wrote -o FILE (whole, or in chunks past CHUNK_ROWS rows) and, past them, stdout's rows too.
  const writeStart = performance.now();
  const toStdout = paths.out === '-' && !result.streamed;
  if (toStdout) io.stdout.write(result.csv);
  if (paths.out !== '-') console.info(`wrote ${paths.out}`);
  // Under DP the times grow with the private row count: the report keeps none.
  const report = result.report.privacy
    ? result.report
    : lib.withTimings(result.report, {
        ...(toStdout ? { write: (performance.now() - writeStart) / 1000 } : {}),
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
      `chosen: attempt ${chosen.attempt} at epsilon ${chosen.epsilon} (${report.optimizer.kept_by ?? 'best verdict on the public validation rows'}; 'front' marks the attempts no other beats on both epsilon and quality)`,
    );
  }
  if (result.private_evaluation && paths.privateReport)
    await writePrivateReport(console, result.private_evaluation, paths);
  return renderVerdict(io, console, options, paths, report, run.lib);
}

/** Rows written in chunks to stdout (-o -): each chunk waits for the stream to drain, so no more than one is held. */
export function stdoutRows(io: Io): (text: string) => Promise<void> {
  const stdout = io.stdout as Io['stdout'] & { once?: (event: 'drain', listener: () => void) => unknown };
  return async (text) => {
    if (stdout.write(text) === false && stdout.once)
      await new Promise<void>((resolve) => stdout.once!('drain', resolve));
  };
}

/** The metrics table on stdout (or stderr when the rows go there), and exit 4 for a failing judged check. */
function renderVerdict(
  io: Io,
  console: Console,
  options: GenerateOptions,
  paths: OutputPaths,
  report: GenerationReport,
  lib: Library,
): number {
  const evaluation = report.evaluation;
  if (options.json) console.data(`${JSON.stringify(report, null, 2)}\n`);
  if (!evaluation && !options.eval) {
    console.info('metrics: not computed (--no-eval)');
    return 0;
  }
  // Sampling a DP model with nothing public to judge it: the gate has nothing to pass.
  if (!evaluation && options.allGreen) throw nothingCheckedError();
  if (!evaluation) {
    console.info(
      'metrics: none judged the rows. Under DP only public rows may (--public-validation FILE); --private-report writes the metrics against the private rows to a file of their own, outside the guarantee',
    );
    return 0;
  }
  if (report.privacy) console.info('metrics: against the public validation rows (utility checks only)');
  for (const warning of evaluation.warnings) console.warn(warning);
  if (!options.json && !options.quiet) {
    const rendered = lib.renderEvaluation(evaluation, paths.out === '-' ? console.style : console.stdoutStyle);
    if (paths.out === '-') io.stderr.write(`${rendered}\n`);
    else console.data(rendered);
  }
  const failed = evaluation.violations.filter((v) => v.status === 'fail');
  for (const check of evaluation.violations.filter((v) => v.status !== 'fail')) {
    console.warn(`${check.metric} was not evaluated: ${check.message ?? 'no value'}`);
  }
  if (options.allGreen && lib.nothingChecked(evaluation.checks)) throw nothingCheckedError();
  if (evaluation.all_green) return 0;
  const attempts = report.attempts;
  const what = failed.length
    ? `fail ${failed.map((v) => `${v.metric} (${formatAgainst(v.value!, v.threshold)} ${v.op === '<=' ? '>' : '<'} ${v.threshold})`).join(', ')}`
    : `leave ${evaluation.violations.map((v) => v.metric).join(', ')} not evaluated`;
  // Retrying helps a check that failed, on a model this run trains: not a check left unevaluated, nor a loaded model.
  const retry = failed.length > 0 && attempts.length === 1 && !options.loadModel;
  const hint = `See why and what to change: gesalp analyze-failure ${paths.report}${retry ? '; or let gesalp retry with --max-attempts 4' : ''}.`;
  // One exit rule (SPEC section 2): a failed gate is exit 4 only where the user asked for the gate.
  const tried =
    attempts.length > 1 ? ` after ${attempts.length} attempts (kept attempt ${report.optimizer.kept_attempt})` : '';
  // --max-attempts or --optimize ask for all green; a --grid, or a search within its default attempts, does not.
  if (options.allGreen || (options.maxAttempts ?? 1) > 1 || options.optimize)
    throw new GesalpError('gate', `the synthetic rows ${what}${tried}; rows and report were written`, hint);
  console.warn(`the synthetic rows ${what} (the verdict is in the report; --all-green makes this exit 4). ${hint}`);
  return 0;
}

/** The private metrics: JSON, the HTML page when --html asked for one, and a banner on the terminal. */
async function writePrivateReport(
  console: Console,
  privateEvaluation: PrivateEvaluation,
  paths: OutputPaths,
): Promise<void> {
  const { writeFileAtomic } = await import('../core/io/atomic-write.js');
  await writeFileAtomic(paths.privateReport!, `${JSON.stringify(privateEvaluation, null, 2)}\n`);
  console.warn(`private report: ${paths.privateReport} (${privateEvaluation.notice})`);
  if (paths.privateHtml) {
    await writeHtmlReport(paths.privateHtml, {
      evaluation: privateEvaluation.evaluation,
      notice: privateEvaluation.notice,
    });
    console.warn(`private html report: ${paths.privateHtml} (not covered by the DP guarantee)`);
  }
}
