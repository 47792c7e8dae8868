/**
 * AIM's select-measure-estimate loop (McKenna, Mullins, Sheldon and Miklau, VLDB 2022,
 * Algorithm 2). Every one-way marginal is measured first, with sigma_0 = sqrt(T / (2 alpha rho))
 * for T rounds (alpha = 0.9 of each round's rho on measuring); each round then
 * - stops after this round when the budget left is less than two rounds at the current rates,
 *   spending all of it now;
 * - keeps the candidates whose junction tree stays within the size cap scaled by the share of
 *   rho spent so far, and within MAX_CLIQUE_CELLS a clique (or that lie inside the model already);
 * - selects one with the exponential mechanism at epsilon_t = sqrt(8 (1 - alpha) rho / T) on the
 *   quality w_r (||M_r(D) - M_r(p_hat)||_1 - sqrt(2/pi) sigma_t n_r): the workload-weighted error
 *   less the error its measurement would have anyway (sensitivity max_r w_r);
 * - measures it with Gaussian noise sigma_t and re-estimates the model, warm-started;
 * - anneals: when the estimate moved on that marginal by less than the noise's expected L1,
 *   sigma halves and epsilon doubles (each round then costs 4x).
 */
import { exponentialRho, gaussianRho } from '../../privacy/zcdp.js';
import { MEASURE_SHARE, startingSigma } from './budget.js';
import { cellCount, isSubset, MapCache } from './factor.js';
import { estimateTotal, mirrorDescent, type Estimate, type Measurement } from './estimation.js';
import { GraphicalModel } from './graphical-model.js';
import { boundedTree } from './junction-tree.js';
import type { MarginalCounts } from './marginal-counts.js';
import type { Mechanisms } from './mechanisms.js';
import type { Candidate } from './workload.js';

export interface RoundRecord {
  readonly round: number;
  readonly marginal: number[];
  readonly selection_rho: number;
  readonly measurement_rho: number;
  readonly sigma: number;
  readonly selection_epsilon: number;
  /** Candidates within the size cap this round. */
  readonly candidates: number;
  /** Whether this round's measurement halved sigma for the next. */
  readonly annealed: boolean;
}

export interface AimSettings {
  /** T, the rounds the budget is planned for. */
  readonly rounds: number;
  readonly maxModelMb: number;
  readonly iterations: number;
  readonly finalIterations: number;
}

export interface AimRun {
  readonly estimate: Estimate;
  readonly measurements: Measurement[];
  readonly oneWay: { readonly sigma: number; readonly rho: number };
  readonly rounds: RoundRecord[];
  /** rho spent on the one-way marginals and the rounds. */
  readonly rho: number;
  /** Mirror-descent iterations over every estimate. */
  readonly iterations: number;
}

export interface AimContext {
  readonly sizes: readonly number[];
  /** Exact marginal counts, which the mechanisms noise. */
  readonly counts: MarginalCounts;
  readonly candidates: readonly Candidate[];
  /** The rounds' share of rho. */
  readonly rho: number;
  readonly settings: AimSettings;
  readonly mechanisms: Mechanisms;
  readonly signal?: AbortSignal;
  readonly onRound?: (round: RoundRecord, estimate: Estimate) => void;
}

const NOISE_L1 = Math.sqrt(2 / Math.PI);

/**
 * Between rounds the event loop runs (a fit is otherwise one long synchronous stretch, in which
 * Ctrl-C's handler could not even run): true when the run was asked to stop.
 */
export async function roundBoundary(signal: AbortSignal | undefined): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  return Boolean(signal?.aborted);
}

export async function runAim(ctx: AimContext): Promise<AimRun> {
  const { sizes, counts, settings, mechanisms } = ctx;
  const rhoTotal = ctx.rho;
  const maps = new MapCache(sizes);
  const answers = ctx.candidates.map((c) => counts.count(c.clique));
  let sigma = startingSigma(rhoTotal, settings.rounds);
  let epsilon = Math.sqrt((8 * (1 - MEASURE_SHARE) * rhoTotal) / settings.rounds);
  const measurements: Measurement[] = sizes.map((_, a) => ({
    clique: [a],
    values: mechanisms.gaussian(`one-way/${a}`, counts.count([a]), sigma),
    sigma,
  }));
  const oneWay = { sigma, rho: sizes.length * gaussianRho(sigma) };
  let rhoUsed = oneWay.rho;
  const total = () => estimateTotal(measurements);
  let estimate = mirrorDescent(sizes, measurements, { iterations: settings.iterations, total: total(), maps });
  let iterations = estimate.iterations;
  const rounds: RoundRecord[] = [];
  for (let t = 1, last = false; !last && !(await roundBoundary(ctx.signal)); t++) {
    if (rhoTotal - rhoUsed < 2 * (gaussianRho(sigma) + exponentialRho(epsilon))) {
      const remaining = Math.max(0, rhoTotal - rhoUsed);
      if (!(remaining > 0)) break;
      sigma = Math.sqrt(1 / (2 * MEASURE_SHARE * remaining));
      epsilon = Math.sqrt(8 * (1 - MEASURE_SHARE) * remaining);
      last = true;
    }
    rhoUsed += gaussianRho(sigma) + exponentialRho(epsilon);
    maps.sweep();
    const model = new GraphicalModel(sizes, estimate.potentials, estimate.total, maps);
    const cliques = estimate.potentials.map((p) => p.clique);
    const limit = (settings.maxModelMb * rhoUsed) / rhoTotal;
    const allowed = ctx.candidates.flatMap((c, k) =>
      cliques.some((clique) => isSubset(c.clique, clique)) || boundedTree(sizes, [...cliques, c.clique], limit)
        ? [k]
        : [],
    );
    const before = allowed.map((k) => model.marginal(ctx.candidates[k].clique));
    const scores = Float64Array.from(allowed, (k, i) => {
      const { clique, weight } = ctx.candidates[k];
      return weight * (l1(answers[k], before[i]) - NOISE_L1 * sigma * cellCount(sizes, clique));
    });
    const sensitivity = Math.max(...allowed.map((k) => Math.abs(ctx.candidates[k].weight)), 1e-12);
    const chosen = mechanisms.exponential(`round-${t}/select`, scores, epsilon, sensitivity);
    const k = allowed[chosen];
    const clique = ctx.candidates[k].clique;
    measurements.push({ clique, values: mechanisms.gaussian(`round-${t}/measure`, answers[k], sigma), sigma });
    estimate = mirrorDescent(sizes, measurements, {
      iterations: settings.iterations,
      total: total(),
      warm: estimate,
      maps,
      signal: ctx.signal,
    });
    iterations += estimate.iterations;
    const after = new GraphicalModel(sizes, estimate.potentials, estimate.total, maps).marginal(clique);
    const annealed = !last && l1(after, before[chosen]) <= NOISE_L1 * sigma * cellCount(sizes, clique);
    const record: RoundRecord = {
      round: t,
      marginal: clique,
      selection_rho: exponentialRho(epsilon),
      measurement_rho: gaussianRho(sigma),
      sigma,
      selection_epsilon: epsilon,
      candidates: allowed.length,
      annealed,
    };
    rounds.push(record);
    ctx.onRound?.(record, estimate);
    if (annealed) {
      sigma /= 2;
      epsilon *= 2;
    }
  }
  estimate = mirrorDescent(sizes, measurements, {
    iterations: settings.finalIterations,
    total: total(),
    warm: estimate,
    maps,
  });
  iterations += estimate.iterations;
  const rho = oneWay.rho + rounds.reduce((s, r) => s + r.selection_rho + r.measurement_rho, 0);
  return { estimate, measurements, oneWay, rounds, rho, iterations };
}

export function l1(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i] - y[i]);
  return sum;
}
