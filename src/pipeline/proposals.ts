/**
 * Where each attempt's method and parameters come from: the grid's next point, the rules'
 * changes after a failing attempt (`--search rules`), or the Bayesian search (`--search bayes`,
 * seeded by the rules). A proposer sees each finished attempt and says what to try next, or null
 * when it has nothing left.
 */
import { paramValues, type ResolvedParam } from '../models/resolve-params.js';
import type { MethodId } from '../models/registry.js';
import { applyChanges, type Analysis } from '../optimizer/diagnose.js';
import type { Change } from '../optimizer/rule.js';
import { BayesSearch, type Tried } from '../optimizer/search/bayes.js';
import { searchDimensions } from '../optimizer/search/dimensions.js';
import type { AttemptContext, AttemptOutcome, AttemptSetup } from './attempt.js';
import type { AttemptPlan } from './attempt-plan.js';

export interface Next {
  readonly setup: AttemptSetup;
  readonly changes: Change[];
  /** How the attempt was proposed, for the report. */
  readonly proposal: string;
}

/** A finished attempt as a proposer reads it. */
export interface Finished {
  readonly outcome: AttemptOutcome;
  readonly analysis: Analysis;
  readonly loss: number;
}

export interface Proposer {
  /**
   * The attempts after `finished` (the last batch, in attempt order), at most `slots` of them to
   * run side by side; empty when nothing is left to try. The rules need each outcome before the
   * next step, so they propose one at a time.
   */
  next(finished: readonly Finished[], slots: number): Next[];
}

/** What a Bayesian search starts from beyond this run: earlier runs' points and the parameters the user set. */
export interface SearchStart {
  readonly prior: readonly Tried[];
  /** Parameters set by the user: never searched. */
  readonly fixed: ReadonlySet<string>;
}

export function proposerFor(
  ctx: AttemptContext,
  plan: AttemptPlan,
  start: AttemptSetup,
  search: SearchStart,
): Proposer {
  if (plan.kind === 'grid') {
    let index = 0;
    return {
      next: (_finished, slots) =>
        plan.points.slice(index + 1, index + 1 + slots).map((point) => ({
          setup: gridSetup(ctx, start, point),
          changes: [],
          proposal: `grid point ${++index + 1}`,
        })),
    };
  }
  if (plan.kind === 'retry')
    return {
      next: (finished) => {
        const { outcome, analysis } = finished[finished.length - 1];
        const next = rulesSetup(ctx, outcome, analysis);
        return next ? [{ ...next, proposal: 'rules' }] : [];
      },
    };
  return bayesProposer(ctx, plan.methods, start, search);
}

export function gridSetup(ctx: AttemptContext, start: AttemptSetup, point: Record<string, number>): AttemptSetup {
  const params = start.params.map((p) =>
    p.name in point ? { name: p.name, value: point[p.name], source: 'grid' } : p,
  );
  return { ...start, params, epsilon: ctx.privacy ? (point.epsilon ?? ctx.privacy.request.epsilon) : start.epsilon };
}

/**
 * The search: the first attempt is the start (the rules' size defaults and what the user set),
 * the second the rules' change to it where they have one, then TPE with the rules' change of the
 * best attempt so far as a candidate. Under DP the epsilon stays the request's.
 */
function bayesProposer(
  ctx: AttemptContext,
  methods: readonly MethodId[],
  start: AttemptSetup,
  search: SearchStart,
): Proposer {
  // Another method starts from its size defaults, under what the user set that its space declares.
  const userSet = start.params.filter((p) => search.fixed.has(p.name));
  const base = (id: MethodId): ResolvedParam[] =>
    id === start.method ? start.params : ctx.defaultsFor(id).map((p) => userSet.find((u) => u.name === p.name) ?? p);
  const searched = methods.map((id) => {
    const method = ctx.registry.get(id);
    const defaults = paramValues(base(id));
    return { id, defaults, dims: searchDimensions(method.space, method.searchSpace ?? {}, defaults, search.fixed) };
  });
  const engine = new BayesSearch(searched, ctx.seed, search.prior);
  let best: Finished | null = null;
  const propose = (): Next | null => {
    const rules = best && withinSearch(rulesSetup(ctx, best.outcome, leaving(best.analysis, search.fixed)), methods);
    const suggestion = rules && { method: rules.setup.method, point: paramValues(rules.setup.params) };
    const proposal = engine.propose(suggestion ?? undefined);
    if (!proposal) return null;
    const how = `bayes: ${proposal.how}`;
    // The rules' suggestion chosen: all of its changes (those of parameters outside the box too).
    if (rules && proposal.method === rules.setup.method && sameOn(proposal.point, paramValues(rules.setup.params)))
      return { ...rules, proposal: how };
    // Otherwise the best attempt of the method (what earlier changes made of it) moved to the point.
    const from = best!.outcome.method === proposal.method ? best!.outcome.params : base(proposal.method);
    const params = from.map((p) =>
      p.name in proposal.point && proposal.point[p.name] !== p.value
        ? { name: p.name, value: proposal.point[p.name], source: 'search (bayes)' }
        : p,
    );
    const before = paramValues(best!.outcome.params);
    const changes: Change[] = params
      .filter((p) => p.source === 'search (bayes)' && before[p.name] !== p.value)
      .map((p) => ({ param: p.name, from: before[p.name] ?? null, to: p.value, rule: 'search', reason: proposal.how }));
    if (proposal.method !== best!.outcome.method)
      changes.unshift({
        param: 'method',
        from: best!.outcome.method,
        to: proposal.method,
        rule: 'search',
        reason: proposal.how,
      });
    return { setup: { method: proposal.method, params, epsilon: start.epsilon }, changes, proposal: how };
  };
  return {
    next(finished, slots) {
      for (const last of finished) {
        engine.observe({
          method: last.outcome.method,
          point: paramValues(last.outcome.params),
          loss: last.loss,
          weight: 1,
        });
        if (!best || last.loss < best.loss) best = last;
      }
      // Cold, the rules seed the second attempt; warm (--previous), the surrogate knows more than they do.
      if (finished.some((f) => f.outcome.attempt === 1) && !search.prior.length) {
        const rules = withinSearch(rulesSetup(ctx, best!.outcome, leaving(best!.analysis, search.fixed)), methods);
        if (rules) return [{ ...rules, proposal: "rules (the search's seed)" }];
      }
      const batch: Next[] = [];
      for (let k = 0; k < slots; k++) {
        const next = propose();
        if (!next) break;
        batch.push(next);
      }
      return batch;
    },
  };
}

const sameOn = (point: Readonly<Record<string, number>>, values: Readonly<Record<string, number>>): boolean =>
  Object.keys(point).every((k) => point[k] === values[k]);

/** The analysis without the rules' moves of parameters the user set: the search leaves those alone. */
const leaving = (analysis: Analysis, fixed: ReadonlySet<string>): Analysis => ({
  ...analysis,
  changes: analysis.changes.filter((c) => !fixed.has(c.param)),
});

/** The rules' change, unless it switches to a method the user did not leave open to the search. */
const withinSearch = (
  next: { setup: AttemptSetup; changes: Change[] } | null,
  methods: readonly MethodId[],
): { setup: AttemptSetup; changes: Change[] } | null => (next && methods.includes(next.setup.method) ? next : null);

/**
 * The rules' next attempt after a failing one, or null when no rule has a change left. A switch
 * of method starts from the new method's size defaults for this table (the old method's
 * parameters mean something else there), with the rules' numeric changes that name its parameters.
 */
export function rulesSetup(
  ctx: AttemptContext,
  outcome: AttemptOutcome,
  given: Analysis,
): { setup: AttemptSetup; changes: Change[] } | null {
  // Fine-tuning keeps the saved model's method and architecture: the rules' other changes still apply.
  const init = ctx.init;
  const analysis = init
    ? { ...given, changes: given.changes.filter((c) => c.param !== 'method' && !init.fixed.includes(c.param)) }
    : given;
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
