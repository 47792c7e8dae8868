/**
 * The attempt plan (SPEC section 5): a single run, the retry loop (the optimizer diagnoses each
 * failing attempt and adjusts the parameters), the Bayesian search or a grid. The best attempt is
 * kept by the verdict's standing (all green first, then fewest failing checks, then the smallest
 * excess), or, with a preference, by the privacy-utility-time front among the best-standing ones.
 */
import { GesalpError } from '../core/errors.js';
import { compareStandings } from '../metrics/checks.js';
import { formatDuration } from '../core/text/duration.js';
import { paramValues } from '../models/resolve-params.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { diagnose, type Analysis } from '../optimizer/diagnose.js';
import type { MetricValues } from '../optimizer/failures.js';
import type { Change } from '../optimizer/rule.js';
import type { Preference } from '../optimizer/pareto.js';
import { MedianPruner, type CurvePoint } from '../optimizer/search/pruning.js';
import { searchLoss } from '../optimizer/search/objective.js';
import { situationOf } from '../optimizer/situation.js';
import {
  runAttempt,
  type AttemptContext,
  type AttemptOutcome,
  type AttemptSetup,
  type CheckpointWatch,
} from './attempt.js';
import { DEFAULT_PARALLEL_ATTEMPTS, plannedAttempts, type AttemptPlan } from './attempt-plan.js';
import { ensembleOf } from './ensemble.js';
import type { EnsembleRecord } from './report.js';
import { keptByPreference } from './front.js';
import { attemptRefusal } from './privacy-plan.js';
import { gridSetup, proposerFor, type Finished, type Next, type SearchStart } from './proposals.js';

/** How a run of several attempts is bounded and chooses, beyond its plan. */
export interface SearchSettings {
  /** Seconds the attempts may take: none starts after it, and training in progress stops at it. */
  readonly timeBudget?: number;
  /** Keep the front's point these weights favour among the best-standing attempts (default: the standing alone). */
  readonly prefer?: Preference;
  /** Attempts of the search or the grid run side by side (default DEFAULT_PARALLEL_ATTEMPTS); the retry loop runs one at a time. */
  readonly parallel?: number;
  /** Keep a mixture of this many best attempts' rows where it beats the best one (ensemble.ts). */
  readonly ensemble?: number;
  /** The Bayesian search's start beyond this run: earlier runs' points, the parameters the user fixed. */
  readonly start?: SearchStart;
}

/** What the report keeps of an attempt once its model and rows are gone. */
export type AttemptSummary = Omit<AttemptOutcome, 'model' | 'synthetic'> & {
  readonly analysis: Analysis;
  /** How the attempt was proposed: the start, the rules, a grid point or the search. */
  readonly proposal: string;
  /** The search's loss (objective.ts): lower is better. */
  readonly loss: number;
  /** Seconds from the first attempt's start to this one's end. */
  readonly elapsed: number;
};

export interface AttemptsResult {
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
  /** False where a time budget cut the run, a preference weighed time or a timed trial chose the threads: another run of the same seed may differ. */
  readonly repeatable: boolean;
  /** Why not, and what would repeat it. */
  readonly repeatableNote?: string;
  /** Why the kept attempt was kept over the best standing, with a preference (null: by the standing). */
  readonly keptBy: string | null;
  /** With an ensemble asked for: its members, weights and whether it beat the best attempt. */
  readonly ensemble: EnsembleRecord | null;
}

export interface AttemptHooks {
  readonly info: (text: string) => void;
  readonly warn: (text: string) => void;
  readonly attemptDone: (summary: AttemptSummary) => void;
}

export async function runAttempts(
  ctx: AttemptContext,
  plan: AttemptPlan,
  start: AttemptSetup,
  hooks: AttemptHooks,
  loaded?: Synthesizer,
  settings: SearchSettings = {},
): Promise<AttemptsResult> {
  const attempts: AttemptSummary[] = [];
  // With a preference every attempt is a candidate until the end; else only the best so far is held.
  const held: AttemptOutcome[] = [];
  const first = plan.kind === 'grid' ? gridSetup(ctx, start, plan.points[0]) : start;
  let batch: Next[] = [{ setup: first, changes: [], proposal: 'start' }];
  let ending = '';
  const started = performance.now();
  const deadline = settings.timeBudget === undefined ? Infinity : started + settings.timeBudget * 1000;
  let cut = false;
  const pruner = plan.kind === 'bayes' ? new MedianPruner() : null;
  const proposer = proposerFor(ctx, plan, start, settings.start ?? { prior: [], fixed: new Set() });
  // Side by side only where proposals need no outcome of each other: the search and the grid.
  const slots = plan.kind === 'retry' ? 1 : Math.max(1, settings.parallel ?? DEFAULT_PARALLEL_ATTEMPTS);
  // Sequential composition: preprocessing once, then every attempt's training.
  let spent = ctx.privacy?.preprocessing.epsilon ?? 0;
  const total = plannedAttempts(plan);
  let made = 0;
  while (batch.length) {
    const starting: { attempt: number; next: Next }[] = [];
    for (const next of batch) {
      const attempt = made + starting.length + 1;
      const refusal =
        ctx.privacy && next.setup.epsilon !== null ? attemptRefusal(ctx.privacy, spent, next.setup.epsilon) : null;
      if (refusal) {
        if (!held.length && !starting.length)
          throw new GesalpError('budget', refusal, 'Give a larger total epsilon or a larger epsilon.');
        ending = `stopped before attempt ${attempt}: ${refusal}`;
        break;
      }
      if (total > 1) {
        const shown = plan.kind === 'grid' ? Object.keys(plan.points[0]) : next.changes.map((c) => c.param);
        hooks.info(`attempt ${attempt}/${total}: ${describe(next.setup, shown)}`);
      }
      // Each attempt that starts is charged its planned epsilon (SPEC section 8): when it stops,
      // early or on Ctrl-C, is data-dependent, so the steps it took are no smaller a bound.
      if (ctx.privacy && next.setup.epsilon !== null) spent += next.setup.epsilon - ctx.privacy.preprocessing.epsilon;
      starting.push({ attempt, next });
    }
    if (!starting.length) break;
    // The pruner reads only attempts of earlier batches, so side-by-side attempts do not race.
    const runs = await Promise.all(
      starting.map(({ attempt, next }) => runOne(ctx, attempt, next, deadline, pruner, loaded)),
    );
    made += runs.length;
    const finished: Finished[] = [];
    for (const { outcome, curve, cutByBudget, next } of runs) {
      cut ||= cutByBudget;
      pruner?.record(curve);
      const analysis = outcome.evaluation ? diagnose(situationOfAttempt(ctx, outcome, settings)) : NOT_JUDGED;
      const loss = outcome.pruned ? (curve.at(-1)?.loss ?? Infinity) : searchLoss(outcome.standing, qualityOf(outcome));
      const { model: _model, synthetic: _synthetic, ...summary } = outcome;
      const elapsed = (performance.now() - started) / 1000;
      attempts.push({ ...summary, analysis, proposal: next.proposal, loss, elapsed });
      hooks.attemptDone(attempts[attempts.length - 1]);
      describeAttempt(attempts[attempts.length - 1], ctx, hooks, Boolean(loaded));
      hold(held, outcome, settings.prefer ? Infinity : (settings.ensemble ?? 1), loaded);
      finished.push({ outcome, analysis, loss });
    }
    if (ending) break;
    const last = finished[finished.length - 1].outcome;
    if (ctx.stopTraining.aborted) {
      ending = 'stopped by Ctrl-C';
      break;
    }
    if (performance.now() >= deadline) {
      ending = `the time budget of ${formatDuration(settings.timeBudget!)} ran out during attempt ${made}`;
      cut = cut || made < total;
      break;
    }
    if (plan.kind === 'retry' && last.standing.allGreen) {
      ending = made === 1 ? 'all green' : `all green at attempt ${made}`;
      break;
    }
    if (made >= total) {
      ending =
        plan.kind === 'grid'
          ? ''
          : plan.kind === 'bayes'
            ? `searched ${total} attempts`
            : total > 1
              ? `no attempt was all green in ${total}`
              : 'not all green';
      break;
    }
    batch = proposer.next(finished, Math.min(slots, total - made));
    if (!batch.length) {
      ending =
        plan.kind === 'bayes'
          ? `nothing left to search after attempt ${made}: every point the search box offers was tried`
          : `no rule has a change left to try after attempt ${made}`;
      break;
    }
    for (const next of batch) describeChanges(next.changes, hooks);
  }
  const choice = keptByPreference(held, settings.prefer, ctx.privateOutput);
  const mixture = settings.ensemble ? await ensembleOf(ctx, held, choice.kept, settings.ensemble) : null;
  if (mixture?.record) hooks.info(`ensemble: ${mixture.record.reason}`);
  const kept = mixture?.kept ?? choice.kept;
  for (const h of held) if (h.model !== kept.model && h.model !== loaded) h.model.dispose();
  if (plan.kind === 'grid' && !ending) ending = `grid of ${total} points: kept attempt ${kept.attempt}`;
  // A loaded model's training (and how its threads were chosen) happened before this run.
  const why = unrepeatable(cut, settings, loaded ? [] : attempts);
  return {
    kept,
    attempts,
    ending,
    repeatable: why.length === 0,
    ...(why.length ? { repeatableNote: why.join('; ') } : {}),
    keptBy: choice.reason,
    ensemble: mixture?.record ?? null,
  };
}

/**
 * What makes another run of the same seed differ: the clock, wherever it chose. A time budget
 * that cut the run; a preference that weighs time; the timed trials of an automatic thread count
 * (thread-choice.ts), whose count changes the weights (the same count repeats them).
 */
function unrepeatable(cut: boolean, settings: SearchSettings, attempts: readonly AttemptSummary[]): string[] {
  const why: string[] = [];
  if (cut) why.push('the time budget cut the run: the same seed may give other attempts');
  if ((settings.prefer?.time ?? 0) > 0) why.push('a preference that weighs time chose by the clock');
  const timed = attempts.filter((a) => a.training?.threadChoice?.rates.length);
  if (timed.length) {
    const counts = [...new Set(timed.map((a) => a.training!.threads))];
    why.push(
      counts.length === 1
        ? `a timed trial chose ${counts[0]} training thread(s); the same seed repeats the rows on ${counts[0]}`
        : `timed trials chose each attempt's training threads (${timed.map((a) => `attempt ${a.attempt}: ${a.training!.threads}`).join(', ')}); the same seed repeats an attempt on its count`,
    );
  }
  return why;
}

/**
 * One attempt under the time budget, watched at its checkpoints by the pruner (the search's),
 * with its curve of checkpoint losses.
 */
async function runOne(
  ctx: AttemptContext,
  attempt: number,
  next: Next,
  deadline: number,
  pruner: MedianPruner | null,
  loaded: Synthesizer | undefined,
): Promise<{ outcome: AttemptOutcome; curve: CurvePoint[]; cutByBudget: boolean; next: Next }> {
  const curve: CurvePoint[] = [];
  const watch: CheckpointWatch | undefined = pruner
    ? {
        judged: ({ epoch, fraction, standing, quality }) => {
          const point = { epoch, fraction, loss: searchLoss(standing, quality) };
          curve.push(point);
          return attempt > 1 ? pruner.verdict(curve, standing.allGreen) : null;
        },
      }
    : undefined;
  const timer = budgetTimer(ctx, deadline);
  try {
    const outcome = await runAttempt(timer.ctx, attempt, next.setup, next.changes, loaded, watch);
    return { outcome, curve, cutByBudget: timer.fired(), next };
  } finally {
    timer.clear();
  }
}

/**
 * Holds the outcome while it may still be kept: every one with a preference (`most` Infinity),
 * else the `most` best by standing (an ensemble's candidate members; 1: the best).
 */
function hold(held: AttemptOutcome[], outcome: AttemptOutcome, most: number, loaded?: Synthesizer): void {
  const drop = (o: AttemptOutcome) => {
    if (o.model !== loaded) o.model.dispose();
  };
  if (outcome.pruned) return drop(outcome);
  held.push(outcome);
  if (held.length <= most) return;
  // By standing, ties keeping the earlier attempt (as the kept attempt's rule does).
  held.sort((a, b) => compareStandings(a.standing, b.standing) || a.attempt - b.attempt);
  for (const gone of held.splice(most)) drop(gone);
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The context of one attempt under a time budget: training stops when the budget runs out (the
 * model then samples from what it learnt), as on Ctrl-C.
 */
function budgetTimer(ctx: AttemptContext, deadline: number): { ctx: AttemptContext; clear(): void; fired(): boolean } {
  if (!Number.isFinite(deadline)) return { ctx, clear: () => {}, fired: () => false };
  const controller = new AbortController();
  let timeout: NodeJS.Timeout;
  // setTimeout takes at most 2^31 - 1 ms (a longer delay fires at once): a long budget re-arms.
  const arm = () => {
    const left = deadline - performance.now();
    if (left <= 0) return controller.abort();
    timeout = setTimeout(arm, Math.min(left, MAX_TIMEOUT_MS));
    timeout.unref?.();
  };
  arm();
  return {
    ctx: { ...ctx, stopTraining: AbortSignal.any([ctx.stopTraining, controller.signal]) },
    clear: () => clearTimeout(timeout),
    fired: () => controller.signal.aborted,
  };
}

export const qualityOf = (outcome: Pick<AttemptOutcome, 'evaluation'>): number | null =>
  outcome.evaluation?.quality?.score ?? null;

/** An attempt nothing judged (DP without public validation rows): no diagnosis, no change. */
const NOT_JUDGED: Analysis = {
  failures: [],
  notEvaluated: [],
  failing: [],
  allGreen: false,
  diagnoses: [],
  changes: [],
};

export const metricValues = (outcome: Pick<AttemptOutcome, 'evaluation'>): MetricValues =>
  Object.fromEntries(Object.entries(outcome.evaluation?.metrics ?? {}).map(([id, r]) => [id, r.value ?? null]));

function situationOfAttempt(ctx: AttemptContext, outcome: AttemptOutcome, settings: SearchSettings) {
  return situationOf({
    method: outcome.method,
    verdict: outcome.evaluation!.verdict,
    metrics: metricValues(outcome),
    thresholds: ctx.thresholds,
    params: paramValues(outcome.params),
    // Under DP the exact count is private: the released one stands in.
    trainRows: ctx.privacy?.trainRows ?? ctx.train.rowCount,
    columns: ctx.template.columns.length,
    // Under DP the time is no release: the too-slow rule does not read it.
    trainSeconds: ctx.privacy ? null : (outcome.training?.seconds ?? null),
    trainingInterrupted: outcome.training?.stopped ?? false,
    ...(settings.timeBudget !== undefined ? { timeBudgetSeconds: settings.timeBudget } : {}),
    dp:
      ctx.privacy && outcome.epsilon !== null
        ? { epsilon: outcome.epsilon, maxEpsilon: ctx.privacy.request.epsilon }
        : null,
    // DP needs a budget the user stated: a run without one is never switched to DP behind their back.
    canDp: Boolean(ctx.privacy),
    registry: ctx.registry,
  });
}

/** The changes to the next attempt, one line per rule and reason (the search gives one reason for all its moves). */
function describeChanges(changes: readonly Change[], hooks: AttemptHooks): void {
  const groups = new Map<string, Change[]>();
  for (const c of changes)
    groups.set(`${c.rule}\u0000${c.reason}`, [...(groups.get(`${c.rule}\u0000${c.reason}`) ?? []), c]);
  for (const group of groups.values())
    hooks.info(
      `  ${group[0].rule}: ${group.map((c) => `${c.param} ${c.from} -> ${c.to}`).join(', ')} (${group[0].reason})`,
    );
}

function describe({ method, params, epsilon }: AttemptSetup, highlight: string[]): string {
  const shown = params.filter((p) => p.name === 'n_iter' || p.name === 'batch_size' || highlight.includes(p.name));
  return [
    `method=${method}`,
    ...(epsilon === null ? [] : [`epsilon=${epsilon}`]),
    ...shown.map((p) => `${p.name}=${p.value}`),
  ].join(' ');
}

/** One line per finished attempt: how training went and the verdict. */
function describeAttempt(a: AttemptSummary, ctx: AttemptContext, hooks: AttemptHooks, loaded: boolean): void {
  const t = a.training;
  // AIM measures marginals in rounds (its steps are estimation iterations), the others train in epochs.
  const [unit, steps] = ctx.registry.get(a.method).capabilities.trainsByEpochs
    ? ['epochs', 'steps']
    : ['rounds', 'estimation iterations'];
  if (t && loaded)
    hooks.info(`loaded a model trained ${t.epochsDone} of ${t.epochs} ${unit} (${t.stepsDone} ${steps})`);
  else if (t) {
    if (t.stopped)
      hooks.warn(`training stopped after ${t.epochsDone} of ${t.epochs} ${unit}; sampling from what was learnt`);
    const stop = a.earlyStop?.actions?.find((x) => x.action === 'stop');
    const early = a.pruned
      ? ''
      : stop
        ? ` (stopped: ${stop.reason})`
        : t.earlyStopped
          ? ' (early stop: all checks green on the checkpoint sample and no longer improving)'
          : '';
    for (const x of a.earlyStop?.actions ?? []) if (x.action !== 'stop') hooks.info(`epoch ${x.epoch}: ${x.reason}`);
    // Under DP the pace grows with the private row count: the line says what was done, not how fast.
    const pace = ctx.privacy
      ? ''
      : unit === 'epochs'
        ? ` in ${formatDuration(a.seconds.train)}: ${t.stepsPerSecond.toFixed(1)} steps/s on ${t.threads} thread(s)${t.threadChoice ? ` (${t.threadChoice.reason})` : ''}`
        : ` in ${formatDuration(a.seconds.train)}`;
    hooks.info(`trained ${t.epochsDone} of ${t.epochs} ${unit} (${t.stepsDone} ${steps})${pace}${early}`);
    if (t.keptEpoch !== undefined)
      hooks.info(
        `kept the weights of the epoch ${t.keptEpoch} checkpoint: its sample clearly beat that of the last weights`,
      );
  }
  if (a.pruned) {
    hooks.info(`pruned at epoch ${a.pruned.at_epoch}: ${a.pruned.reason}`);
    return;
  }
  if (!a.evaluation) {
    const why = ctx.evaluate ? 'under DP only public validation rows may judge' : 'evaluation off';
    hooks.info(`sampled in ${formatDuration(a.seconds.sample)}; not judged (${why})`);
    return;
  }
  const failing = a.evaluation.verdict.violations;
  for (const c of failing.filter((v) => v.metric === 'sample_spread')) hooks.warn(`attempt ${a.attempt}: ${c.message}`);
  const verdict = a.standing.allGreen ? 'all green' : `failing ${failing.map((v) => v.metric).join(', ')}`;
  // The validation split judges attempts; the reported verdict, against the holdout, comes after and may differ.
  const against = ctx.validation
    ? ' against the public validation rows'
    : ctx.validationSplit
      ? ` against the ${ctx.validationSplit.rowCount} validation rows`
      : '';
  const took = ctx.privacy ? '' : ` in ${formatDuration(a.seconds.sample + a.seconds.evaluate)}`;
  const quality = a.evaluation.quality ? `, quality ${a.evaluation.quality.score.toFixed(1)}` : '';
  hooks.info(`sampled and evaluated${against}${took}: ${verdict}${quality}`);
}
