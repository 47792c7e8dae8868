/**
 * The attempt plan (SPEC section 5): a single run, the retry loop (the optimizer diagnoses each
 * failing attempt and adjusts the parameters) or a grid; the best attempt is kept by the
 * verdict's standing (all green first, then fewest failing checks, then the smallest excess).
 */
import { GesalpError } from '../core/errors.js';
import { compareStandings } from '../metrics/checks.js';
import { formatDuration } from '../core/text/duration.js';
import { paramValues, type ResolvedParam } from '../models/resolve-params.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { applyChanges, diagnose, type Analysis } from '../optimizer/diagnose.js';
import type { MetricValues } from '../optimizer/failures.js';
import type { Change } from '../optimizer/rule.js';
import { situationOf } from '../optimizer/situation.js';
import type { MethodId } from '../models/registry.js';
import { runAttempt, type AttemptContext, type AttemptOutcome, type AttemptSetup } from './attempt.js';
import { attemptRefusal } from './privacy-plan.js';

export type AttemptPlan =
  | { readonly kind: 'retry'; readonly maxAttempts: number }
  | { readonly kind: 'grid'; readonly points: Record<string, number>[] };

/** What the report keeps of an attempt once its model and rows are gone. */
export type AttemptSummary = Omit<AttemptOutcome, 'model' | 'synthetic'> & { readonly analysis: Analysis };

export interface AttemptsResult {
  readonly kept: AttemptOutcome;
  readonly attempts: AttemptSummary[];
  readonly ending: string;
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
): Promise<AttemptsResult> {
  const attempts: AttemptSummary[] = [];
  let kept: AttemptOutcome | undefined;
  let setup = start;
  let changes: Change[] = [];
  let ending = '';
  // Sequential composition: preprocessing once, then every attempt's training.
  let spent = ctx.privacy?.preprocessing.epsilon ?? 0;
  const total = plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
  for (let attempt = 1; attempt <= total; attempt++) {
    if (plan.kind === 'grid') {
      const point = plan.points[attempt - 1];
      setup = { ...start, params: withPoint(start.params, point) };
      if (ctx.privacy) setup = { ...setup, epsilon: point.epsilon ?? ctx.privacy.request.epsilon };
    }
    const refusal = ctx.privacy && setup.epsilon !== null ? attemptRefusal(ctx.privacy, spent, setup.epsilon) : null;
    if (refusal) {
      if (!kept) throw new GesalpError('budget', refusal, 'Give a larger total epsilon or a larger epsilon.');
      ending = `stopped before attempt ${attempt}: ${refusal}`;
      break;
    }
    if (total > 1) {
      const shown = plan.kind === 'grid' ? Object.keys(plan.points[0]) : changes.map((c) => c.param);
      hooks.info(`attempt ${attempt}/${total}: ${describe(setup, shown)}`);
    }
    // Each attempt that starts is charged its planned epsilon (SPEC section 8): when it stops,
    // early or on Ctrl-C, is data-dependent, so the steps it took are no smaller a bound.
    if (ctx.privacy && setup.epsilon !== null) spent += setup.epsilon - ctx.privacy.preprocessing.epsilon;
    const outcome = await runAttempt(ctx, attempt, setup, changes, loaded);
    const analysis = outcome.evaluation ? diagnose(situationOfAttempt(ctx, outcome)) : NOT_JUDGED;
    const { model: _model, synthetic: _synthetic, ...summary } = outcome;
    attempts.push({ ...summary, analysis });
    hooks.attemptDone(attempts[attempts.length - 1]);
    describeAttempt(attempts[attempts.length - 1], ctx, hooks, Boolean(loaded));
    if (!kept || compareStandings(outcome.standing, kept.standing) < 0) {
      if (kept && kept.model !== loaded) kept.model.dispose();
      kept = outcome;
    } else if (outcome.model !== loaded) outcome.model.dispose();
    if (ctx.stopTraining.aborted) {
      ending = 'stopped by Ctrl-C';
      break;
    }
    if (plan.kind === 'grid') continue;
    if (outcome.standing.allGreen) {
      ending = attempt === 1 ? 'all green' : `all green at attempt ${attempt}`;
      break;
    }
    if (attempt === total) {
      ending = total > 1 ? `no attempt was all green in ${total}` : 'not all green';
      break;
    }
    const next = nextSetup(ctx, outcome, analysis);
    if (!next) {
      ending = `no rule has a change left to try after attempt ${attempt}`;
      break;
    }
    for (const c of next.changes) hooks.info(`  ${c.rule}: ${c.param} ${c.from} -> ${c.to} (${c.reason})`);
    setup = next.setup;
    changes = next.changes;
  }
  if (plan.kind === 'grid' && !ending) ending = `grid of ${total} points: kept attempt ${kept!.attempt}`;
  return { kept: kept!, attempts, ending };
}

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

function situationOfAttempt(ctx: AttemptContext, outcome: AttemptOutcome) {
  return situationOf({
    method: outcome.method,
    verdict: outcome.evaluation!.verdict,
    metrics: metricValues(outcome),
    thresholds: ctx.thresholds,
    params: paramValues(outcome.params),
    // Under DP the exact count is private: the released one stands in.
    trainRows: ctx.privacy?.trainRows ?? ctx.train.rowCount,
    columns: ctx.table.columns.length,
    // Under DP the time is no release: the too-slow rule does not read it.
    trainSeconds: ctx.privacy ? null : (outcome.training?.seconds ?? null),
    trainingInterrupted: outcome.training?.stopped ?? false,
    dp:
      ctx.privacy && outcome.epsilon !== null
        ? { epsilon: outcome.epsilon, maxEpsilon: ctx.privacy.request.epsilon }
        : null,
    // DP needs a budget the user stated: a run without one is never switched to DP behind their back.
    canDp: Boolean(ctx.privacy),
    registry: ctx.registry,
  });
}

/**
 * The method, parameters and (under DP) epsilon of the next attempt, or null when no rule has a
 * change left. A switch of method starts from the new method's size defaults for this table (the
 * old method's parameters mean something else there), with the rules' numeric changes that name
 * its parameters.
 */
function nextSetup(
  ctx: AttemptContext,
  outcome: AttemptOutcome,
  analysis: Analysis,
): { setup: AttemptSetup; changes: Change[] } | null {
  const switched = analysis.changes.find((c) => c.param === 'method');
  const method = switched ? (switched.to as MethodId) : outcome.method;
  const base = switched ? ctx.defaultsFor(method) : outcome.params;
  const current = paramValues(base);
  const moves = (c: Change) => c.param in current || (c.param === 'epsilon' && outcome.epsilon !== null);
  const numeric = analysis.changes.filter((c) => typeof c.to === 'number' && moves(c));
  const changes = switched ? [switched, ...numeric] : numeric;
  if (!changes.length) return null;
  const epsilonChange = numeric.find((c) => c.param === 'epsilon');
  const values = applyChanges(current, numeric);
  const params = base.map((p) => {
    const change = numeric.find((c) => c.param === p.name);
    return change
      ? { name: p.name, value: values[p.name], source: `${change.rule} (after attempt ${outcome.attempt})` }
      : p;
  });
  const epsilon = epsilonChange ? (epsilonChange.to as number) : outcome.epsilon;
  return { setup: { method, params, epsilon }, changes };
}

function withPoint(params: ResolvedParam[], point: Record<string, number>): ResolvedParam[] {
  return params.map((p) => (p.name in point ? { name: p.name, value: point[p.name], source: 'grid' } : p));
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
    const early = t.earlyStopped
      ? ' (early stop: all checks green on the checkpoint sample and no longer improving)'
      : '';
    // Under DP the pace grows with the private row count: the line says what was done, not how fast.
    const pace = ctx.privacy
      ? ''
      : unit === 'epochs'
        ? ` in ${formatDuration(a.seconds.train)}: ${t.stepsPerSecond.toFixed(1)} steps/s on ${t.threads} thread(s)`
        : ` in ${formatDuration(a.seconds.train)}`;
    hooks.info(`trained ${t.epochsDone} of ${t.epochs} ${unit} (${t.stepsDone} ${steps})${pace}${early}`);
    if (t.keptEpoch !== undefined)
      hooks.info(
        `kept the weights of the epoch ${t.keptEpoch} checkpoint: its sample clearly beat that of the last weights`,
      );
  }
  if (!a.evaluation) {
    const why = ctx.evaluate ? 'under DP only public validation rows may judge' : 'evaluation off';
    hooks.info(`sampled in ${formatDuration(a.seconds.sample)}; not judged (${why})`);
    return;
  }
  const failing = a.evaluation.verdict.violations;
  for (const c of failing.filter((v) => v.metric === 'sample_spread')) hooks.warn(`attempt ${a.attempt}: ${c.message}`);
  const verdict = a.standing.allGreen ? 'all green' : `failing ${failing.map((v) => v.metric).join(', ')}`;
  const against = ctx.validation ? ' against the public validation rows' : '';
  const took = ctx.privacy ? '' : ` in ${formatDuration(a.seconds.sample + a.seconds.evaluate)}`;
  hooks.info(`sampled and evaluated${against}${took}: ${verdict}`);
}
