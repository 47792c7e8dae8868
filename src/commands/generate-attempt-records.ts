/** How an attempt is shown as it ends, as a row of the attempts table, and as a record in the report. */
import { formatDuration } from '../core/render/duration.js';
import type { AttemptRow } from '../core/render/attempts-table.js';
import type { AttemptRecord } from '../models/generation-report.js';
import { paramValues } from '../models/resolve-params.js';
import { metricValues, type AttemptOutcome } from './generate-attempt.js';
import type { AttemptSummary } from './generate-loop.js';
import type { Console } from './io.js';

export function reportAttempt(outcome: AttemptOutcome, console: Console): void {
  const t = outcome.training;
  if (t) {
    const rate = `${t.stepsPerSecond.toFixed(1)} steps/s on ${t.threads} thread(s)`;
    if (t.stopped)
      console.warn(`training stopped at epoch ${t.epochsDone} of ${t.epochs}; sampling from what was learnt`);
    const early = t.earlyStopped
      ? ` (early stop: all checks green on the checkpoint sample and no longer improving)`
      : '';
    console.info(
      `trained ${t.epochsDone} of ${t.epochs} epochs (${t.stepsDone} steps) in ${formatDuration(outcome.seconds.train)}: ${rate}${early}`,
    );
  }
  if (outcome.edgeError) console.warn(`attempt ${outcome.attempt}: ${outcome.edgeError.message}`);
  else
    console.info(
      `sampled and evaluated in ${formatDuration(outcome.seconds.sample + outcome.seconds.evaluate)}: ${outcome.allGreen ? 'all green' : `failing ${failingNames(outcome).join(', ')}`}`,
    );
}

const failingNames = (outcome: Pick<AttemptOutcome, 'evaluation' | 'edgeError'>): string[] =>
  outcome.edgeError
    ? ['samples at the range edges']
    : (outcome.evaluation?.verdict.violations.map((v) => v.metric) ?? []);

export function attemptRow(summary: AttemptSummary, keptAttempt: number): AttemptRow {
  const o = summary.outcome;
  return {
    attempt: o.attempt,
    params: paramValues(o.params),
    epochsDone: o.training?.epochsDone ?? null,
    metrics: o.evaluation ? metricValues(o.evaluation) : {},
    allGreen: o.allGreen,
    failing: failingNames(o).join(', '),
    seconds: o.seconds.train + o.seconds.sample + o.seconds.evaluate,
    chosen: o.attempt === keptAttempt,
  };
}

export function attemptRecord(summary: AttemptSummary, row: AttemptRow): AttemptRecord {
  const o = summary.outcome;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    attempt: o.attempt,
    parameters: row.params,
    changes: o.changes.map(({ param, from, to, rule }) => ({ param, from, to, rule })),
    all_green: o.allGreen,
    violations: failingNames(o),
    metrics: Object.fromEntries(Object.entries(row.metrics).map(([k, v]) => [k, v === null ? null : round(v)])),
    epochs_done: row.epochsDone,
    early_stopped_at: o.earlyStop?.stopped_at_epoch ?? null,
    samples_at_edges: o.edgeError !== null,
    train_seconds: round(o.seconds.train),
    sample_seconds: round(o.seconds.sample),
    diagnoses: summary.diagnoses.map(({ rule, severity, cause }) => ({ rule, severity, cause })),
    kept: row.chosen,
  };
}
