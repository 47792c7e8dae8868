/**
 * Private-PGM estimation (McKenna, Sheldon and Miklau, ICML 2019, Algorithm 1): the graphical
 * model whose marginals best explain the noisy measurements, by mirror descent on the weighted
 * squared loss L(mu) = sum_m ||P_m mu - y_m||^2 / (2 sigma_m^2) over the marginal polytope. The
 * entropic mirror map makes each step a gradient step on the log-potentials (one per maximal
 * measured clique), theta <- theta - alpha dL/dmu, with mu from belief propagation. The step is
 * chosen by backtracking on the Armijo condition L(mu) - L(mu') >= alpha/2 <dL, mu - mu'>: halved
 * when it fails, grown when it holds. A warm start keeps the potentials and the step from the
 * previous round.
 */
import { assignPotentials, calibrate, type Potential } from './belief-propagation.js';
import { addBroadcast, cellCount, cliqueKey, isSubset, MapCache, project, type Clique } from './factor.js';
import { junctionTree } from './junction-tree.js';

export interface Measurement {
  readonly clique: number[];
  /** The noisy counts (exact counts without DP). */
  readonly values: Float64Array;
  readonly sigma: number;
}

export interface Estimate {
  readonly potentials: Potential[];
  readonly total: number;
  /** The step the last iteration ended with, for a warm start. */
  readonly step: number;
  readonly loss: number;
  readonly iterations: number;
}

/** Growth of an accepted step (the reference grows it by 1 %; faster lets a short run find its scale). */
const GROW = 1.1;
/**
 * Mirror descent stops early once CHECK_EVERY iterations lower the loss by less than TOLERANCE
 * of it: past that the marginals move by a small fraction of the noise they are fitted to, and
 * each further iteration costs a belief propagation over the whole model.
 */
const CHECK_EVERY = 50;
const TOLERANCE = 1e-4;

/**
 * The number of rows, as the measurements estimate it: each sums to it plus noise of variance
 * sigma^2 per cell, so the minimum-variance combination weighs each by 1/(sigma^2 cells).
 */
export function estimateTotal(measurements: readonly Measurement[]): number {
  let weighted = 0;
  let weights = 0;
  for (const m of measurements) {
    const variance = Math.max(m.sigma, 1e-12) ** 2 * m.values.length;
    weighted += m.values.reduce((s, v) => s + v, 0) / variance;
    weights += 1 / variance;
  }
  return weights > 0 ? Math.max(1, weighted / weights) : 1;
}

/** The maximal measured cliques, in order of first appearance: where the potentials live. */
export function potentialCliques(measurements: readonly { clique: number[] }[]): number[][] {
  const distinct = [...new Map(measurements.map((m) => [cliqueKey(m.clique), m.clique])).values()];
  return distinct.filter((c) => !distinct.some((d) => d !== c && d.length > c.length && isSubset(c, d)));
}

export function mirrorDescent(
  sizes: readonly number[],
  measurements: readonly Measurement[],
  options: {
    readonly iterations: number;
    readonly total: number;
    readonly warm?: { readonly potentials: readonly Potential[]; readonly step: number };
    readonly maps?: MapCache;
    readonly signal?: AbortSignal;
  },
): Estimate {
  const maps = options.maps ?? new MapCache(sizes);
  const cliques = potentialCliques(measurements);
  const tree = junctionTree(sizes, cliques);
  const assignment = assignPotentials(tree, cliques, sizes);
  const theta = cliques.map((c) => new Float64Array(cellCount(sizes, c)));
  for (const p of options.warm?.potentials ?? []) {
    const k = cliques.findIndex((c) => isSubset(p.clique, c));
    if (k >= 0) addBroadcast(theta[k], maps.get(cliques[k], p.clique), p.values);
  }
  const owner = measurements.map((m) => cliques.findIndex((c) => isSubset(m.clique, c)));
  const weights = measurements.map((m) => 1 / Math.max(m.sigma, 1e-12) ** 2);
  const total = options.total;

  /**
   * Each measurement's marginal under the potentials, and the loss: each potential clique's
   * marginal is projected once from the smallest tree clique holding it, and each measurement's
   * from its potential clique's (a projection from a large tree clique per measurement costs more
   * than belief propagation itself).
   */
  const evaluate = (potentials: Float64Array[]) => {
    const { marginals } = calibrate(
      tree,
      maps,
      cliques.map((clique, k) => ({ clique, values: potentials[k] })),
      assignment,
      total,
    );
    const onCliques = cliques.map((clique, k) =>
      project(marginals[assignment[k]], maps.get(tree.cliques[assignment[k]], clique), potentials[k].length),
    );
    let loss = 0;
    const mu = measurements.map((m, i) => {
      const k = owner[i];
      const projected =
        cliques[k].length === m.clique.length
          ? onCliques[k]
          : project(onCliques[k], maps.get(cliques[k], m.clique), m.values.length);
      const w = weights[i];
      for (let j = 0; j < projected.length; j++) {
        const d = projected[j] - m.values[j];
        loss += (w * d * d) / 2;
      }
      return projected;
    });
    return { mu, loss };
  };

  const sigmaMin = Math.min(...measurements.map((m) => m.sigma));
  let step = options.warm?.step ?? (2 * Math.max(sigmaMin, 1e-12) ** 2) / total;
  let current = evaluate(theta);
  const gradient = cliques.map((c) => new Float64Array(cellCount(sizes, c)));
  const diffs = measurements.map((m) => new Float64Array(m.values.length));
  let iterations = 0;
  let checkpoint = current.loss;
  for (; iterations < options.iterations && !options.signal?.aborted; iterations++) {
    measurements.forEach((m, i) => {
      const mu = current.mu[i];
      const d = diffs[i];
      for (let j = 0; j < d.length; j++) d[j] = mu[j] - m.values[j];
    });
    for (const g of gradient) g.fill(0);
    measurements.forEach((m, i) =>
      addBroadcast(gradient[owner[i]], maps.get(cliques[owner[i]], m.clique), diffs[i], weights[i]),
    );
    const next = theta.map((t, k) => {
      const out = new Float64Array(t.length);
      const g = gradient[k];
      for (let j = 0; j < t.length; j++) out[j] = t[j] - step * g[j];
      return out;
    });
    const trial = evaluate(next);
    let decrease = 0;
    measurements.forEach((_, i) => {
      const [d, a, b, w] = [diffs[i], current.mu[i], trial.mu[i], weights[i]];
      for (let j = 0; j < d.length; j++) decrease += w * d[j] * (a[j] - b[j]);
    });
    if (current.loss - trial.loss >= 0.5 * step * decrease) {
      for (let k = 0; k < theta.length; k++) theta[k] = next[k];
      current = trial;
      step *= GROW;
    } else step *= 0.5;
    // Converged: the last CHECK_EVERY iterations lowered the loss by less than TOLERANCE of it.
    if ((iterations + 1) % CHECK_EVERY === 0) {
      if (checkpoint - current.loss <= TOLERANCE * current.loss) {
        iterations++;
        break;
      }
      checkpoint = current.loss;
    }
  }
  return {
    potentials: cliques.map((clique: Clique, k) => ({ clique: [...clique], values: theta[k] })),
    total,
    step,
    loss: current.loss,
    iterations,
  };
}
