/**
 * `--search bayes`: a sequential model-based search over each method's declared search box. The
 * method is a categorical dimension when several may be tried (`--method auto`); within a method
 * the parameters follow TPE (tpe.ts) over the attempts of that method seen so far, with the
 * rules' suggestion competing as a candidate. A method's first attempt tries its defaults for
 * the table, as the rules would. Seeded: the same observations give the same proposals.
 */
import { createRng, type Rng } from '../../core/rng.js';
import type { Dimension } from './dimensions.js';
import { proposeTpe, splitObservations, type Observation } from './tpe.js';

export interface SearchedMethod {
  readonly id: string;
  readonly dims: readonly Dimension[];
  /** The method's defaults for this table (with what the user set): where its first attempt starts. */
  readonly defaults: Readonly<Record<string, number>>;
}

export interface Tried extends Observation {
  readonly method: string;
}

export interface SearchProposal {
  readonly method: string;
  /** Values of the method's searched parameters (the rest keep their defaults). */
  readonly point: Record<string, number>;
  /** Why this point, in words for the report. */
  readonly how: string;
}

const GAMMA = 0.25;
/** Redraws when a proposal repeats a tried point (int parameters on a coarse grid). */
const REDRAWS = 5;

export class BayesSearch {
  private readonly tried: Tried[] = [];
  /** Proposed and not yet observed (attempts running side by side): the surrogate sees them at the worst loss so far, so the next proposal looks elsewhere (the constant liar). */
  private readonly pending: { method: string; point: Record<string, number> }[] = [];
  private readonly rng: Rng;

  constructor(
    private readonly methods: readonly SearchedMethod[],
    seed: number,
    /** Points of earlier runs (--previous), weighted down by how much their table differs. */
    prior: readonly Tried[] = [],
  ) {
    if (!methods.length) throw new Error('a search needs at least one method');
    this.rng = createRng(seed ^ 0x5ea4c4);
    // A point that cannot be placed in its method's box (a value missing, not a number, not positive
    // on a log scale; a hand-edited report) would turn every density into NaN: it is left out.
    this.prior = prior.filter((p) => {
      const method = methods.find((m) => m.id === p.method);
      return (
        method !== undefined &&
        Number.isFinite(p.loss) &&
        Number.isFinite(p.weight) &&
        p.weight > 0 &&
        method.dims.every((d) => Number.isFinite(p.point[d.name]) && (!d.log || p.point[d.name] > 0))
      );
    });
  }

  private readonly prior: readonly Tried[];

  observe(point: Tried): void {
    this.tried.push(point);
    const at = this.pending.findIndex((p) => p.method === point.method && within(p.point, point.point));
    if (at >= 0) this.pending.splice(at, 1);
  }

  /**
   * The next attempt, or null when the box has no untried point left to offer (every parameter set
   * by the user, or every redraw a point already tried): a repeat would only spend time, and under
   * DP budget. `suggestion`: the rules' change of the best attempt so far, if they have one.
   */
  propose(suggestion?: {
    readonly method: string;
    readonly point: Readonly<Record<string, number>>;
  }): SearchProposal | null {
    const proposal = this.next(suggestion);
    if (proposal) this.pending.push({ method: proposal.method, point: proposal.point });
    return proposal;
  }

  private next(suggestion?: {
    readonly method: string;
    readonly point: Readonly<Record<string, number>>;
  }): SearchProposal | null {
    // A reduce, not Math.max(...): a warm start may bring more points than a call takes arguments.
    const lie = [...this.prior, ...this.tried].reduce((worst, o) => Math.max(worst, o.loss), 0);
    const all = [...this.prior, ...this.tried, ...this.pending.map((p) => ({ ...p, loss: lie, weight: 1 }))];
    const method = this.chooseMethod(all);
    const seen = all.filter((o) => o.method === method.id);
    if (!seen.length)
      return {
        method: method.id,
        point: pick(method.defaults, method.dims),
        how: `the ${method.id} defaults for this table (its first attempt)`,
      };
    if (!method.dims.length) return null;
    const extra = suggestion?.method === method.id ? [pick(suggestion.point, method.dims)] : [];
    for (let draw = 0; ; draw++) {
      const p = proposeTpe(method.dims, seen, this.rng, { gamma: GAMMA, extra: draw ? [] : extra });
      const repeated = [...this.tried, ...this.pending].some(
        (t) => t.method === method.id && same(t.point, p.point, method.dims),
      );
      if (repeated && draw < REDRAWS) continue;
      if (repeated) return null;
      const ratio = p.logRatio.toFixed(2);
      return {
        method: method.id,
        point: p.point,
        how: p.fromExtra
          ? `the rules' suggestion, which the surrogate preferred to its drawn candidates (log density ratio ${ratio})`
          : `TPE over ${seen.length} ${method.id} point(s): the best of the drawn candidates (log density ratio ${ratio})`,
      };
    }
  }

  /**
   * The method by categorical TPE: shares of the good and the bad points per method, each with one
   * pseudo-point of prior, and the method with the largest good/bad ratio (ties: the first listed).
   * A method never tried keeps its prior share on both sides, so it is tried once the others'
   * bad points outnumber their good ones.
   */
  private chooseMethod(all: readonly Tried[]): SearchedMethod {
    if (this.methods.length === 1 || !all.length) return this.methods[0];
    const { good, bad } = splitObservations(all, GAMMA);
    const share = (side: readonly Observation[], id: string) =>
      (1 + side.filter((o) => (o as Tried).method === id).reduce((s, o) => s + o.weight, 0)) /
      (this.methods.length + side.reduce((s, o) => s + o.weight, 0));
    let best = this.methods[0];
    let bestRatio = -Infinity;
    for (const m of this.methods) {
      const ratio = share(good, m.id) / share(bad, m.id);
      if (ratio > bestRatio + 1e-12) [best, bestRatio] = [m, ratio];
    }
    return best;
  }
}

const pick = (values: Readonly<Record<string, number>>, dims: readonly Dimension[]): Record<string, number> =>
  Object.fromEntries(dims.map((d) => [d.name, values[d.name]]));

/** Whether every value of `proposed` (the searched parameters) is the observed point's. */
const within = (proposed: Readonly<Record<string, number>>, observed: Readonly<Record<string, number>>): boolean =>
  Object.keys(proposed).every((k) => proposed[k] === observed[k]);

const same = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>, dims: readonly Dimension[]) =>
  dims.every((d) => a[d.name] === b[d.name]);
