/** An attempt as the report (and the attempts table) records it, from what the attempts loop kept of it. */
import { failed } from '../metrics/checks.js';
import { paramValues } from '../models/resolve-params.js';
import type { AttemptSummary } from './attempts.js';
import type { AttemptRecord } from './report.js';

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function attemptRecord(
  summary: AttemptSummary,
  keptAttempt: number,
  paretoFront: boolean | null = null,
  privateOutput = false,
): AttemptRecord {
  const t = summary.training;
  return {
    attempt: summary.attempt,
    method: summary.method,
    parameters: paramValues(summary.params),
    changes: summary.changes.map(({ param, from, to, rule }) => ({ param, from, to, rule })),
    all_green: summary.evaluation ? summary.standing.allGreen : null,
    violations: summary.evaluation?.verdict.violations ?? [],
    metrics: Object.fromEntries(
      Object.entries(summary.evaluation?.metrics ?? {}).map(([id, r]) => [
        id,
        r.value === null ? null : round3(r.value),
      ]),
    ),
    epochs_done: summary.training?.epochsDone ?? null,
    early_stopped_at: summary.earlyStop?.stopped_at_epoch ?? null,
    samples_at_edges: summary.evaluation ? failed(summary.evaluation.verdict, 'sample_spread') : false,
    train_seconds: privateOutput ? null : round3(summary.seconds.train),
    sample_seconds: privateOutput ? null : round3(summary.seconds.sample),
    diagnoses: summary.analysis.diagnoses.map(({ rule, severity, cause }) => ({ rule, severity, cause })),
    kept: summary.attempt === keptAttempt,
    epsilon: summary.epsilon,
    pareto_front: paretoFront,
    proposal: summary.proposal,
    quality: summary.evaluation?.quality ? round3(summary.evaluation.quality.score) : null,
    search_loss: Number.isFinite(summary.loss) ? round3(summary.loss) : null,
    fidelity: t && t.epochs > 0 ? round3(t.epochsDone / t.epochs) : null,
    pruned: summary.pruned,
    elapsed_seconds: privateOutput ? null : round3(summary.elapsed),
  };
}
