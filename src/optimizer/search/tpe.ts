/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna's TPESampler): the
 * points seen so far are split at the gamma quantile of their loss into good and bad; each side
 * becomes a density, a truncated Gaussian kernel on every point plus a uniform prior (its weight
 * that of one point), and the next point is the candidate drawn from the good density that
 * maximises good/bad. Chosen over a Gaussian process because the budgets here buy tens of
 * attempts, not hundreds, in a box of mixed int, log and categorical dimensions, where TPE needs
 * no kernel hyperparameters fitted on a handful of points and costs microseconds.
 */
import type { Rng } from '../../core/rng.js';
import { normalCdf } from '../../core/stats/normal.js';
import { standardNormal } from '../../core/stats/random.js';
import { fromUnit, toUnit, type Dimension } from './dimensions.js';

export interface Observation {
  readonly point: Readonly<Record<string, number>>;
  /** Lower is better. */
  readonly loss: number;
  /** 1 for this run's attempts; below 1 for a warm start's points from another table. */
  readonly weight: number;
}

export interface TpeOptions {
  /** The good side's share of the points (Optuna: 0.1 n capped at 25; few points here, so a quarter). */
  readonly gamma?: number;
  /** Candidates drawn from the good density. */
  readonly candidates?: number;
  /** Points proposed from outside (the rules' suggestion) that compete with the drawn ones. */
  readonly extra?: readonly Readonly<Record<string, number>>[];
}

export interface Proposal {
  readonly point: Record<string, number>;
  /** log(good density / bad density) at the point: how strongly the surrogate prefers it. */
  readonly logRatio: number;
  /** Whether it is one of `extra` (the rules' suggestion) rather than drawn. */
  readonly fromExtra: boolean;
}

const DEFAULT_GAMMA = 0.25;
const DEFAULT_CANDIDATES = 24;
/** Kernel widths in the unit box: never so narrow that the search stops moving, never wider than half the box. */
const MIN_WIDTH = 0.05;
const MAX_WIDTH = 0.5;

/**
 * The next point in `dims` after `observations` (at least one). With a single point the good side
 * is that point and the bad one the prior alone: the search explores around the best so far.
 */
export function proposeTpe(
  dims: readonly Dimension[],
  observations: readonly Observation[],
  rng: Rng,
  options: TpeOptions = {},
): Proposal {
  if (!observations.length) throw new Error('TPE needs at least one observed point');
  const { good, bad } = splitObservations(observations, options.gamma ?? DEFAULT_GAMMA);
  const unit = (o: Observation) => dims.map((d) => toUnit(d, o.point[d.name]));
  const goodDensity = parzen(
    good.map(unit),
    good.map((o) => o.weight),
    dims.length,
  );
  const badDensity = parzen(
    bad.map(unit),
    bad.map((o) => o.weight),
    dims.length,
  );
  const drawn = Array.from({ length: options.candidates ?? DEFAULT_CANDIDATES }, () => goodDensity.draw(rng));
  const extra = (options.extra ?? []).map((p) => dims.map((d) => toUnit(d, p[d.name])));
  let best: { u: number[]; logRatio: number; fromExtra: boolean } | null = null;
  for (const [i, u] of [...extra, ...drawn].entries()) {
    // Rounded to the dimension's grid first, so that an int parameter is judged where it will be tried.
    const snapped = dims.map((d, j) => toUnit(d, fromUnit(d, u[j])));
    const logRatio = goodDensity.logPdf(snapped) - badDensity.logPdf(snapped);
    if (!best || logRatio > best.logRatio) best = { u: snapped, logRatio, fromExtra: i < extra.length };
  }
  const point = Object.fromEntries(dims.map((d, j) => [d.name, fromUnit(d, best!.u[j])]));
  return { point, logRatio: best!.logRatio, fromExtra: best!.fromExtra };
}

/** The best `gamma` share of the points (at least one) and the rest, by loss; ties keep the earlier point good. */
export function splitObservations(
  observations: readonly Observation[],
  gamma: number,
): { good: Observation[]; bad: Observation[] } {
  const order = observations.map((o, i) => ({ o, i })).sort((a, b) => a.o.loss - b.o.loss || a.i - b.i);
  const nGood = Math.max(1, Math.ceil(gamma * observations.length));
  return { good: order.slice(0, nGood).map((x) => x.o), bad: order.slice(nGood).map((x) => x.o) };
}

interface Density {
  logPdf(u: readonly number[]): number;
  draw(rng: Rng): number[];
}

/**
 * A weighted mixture over the unit box: a Gaussian kernel truncated to [0, 1] on each point, and
 * the uniform prior with the weight of one point. Widths follow Scott's rule in d dimensions.
 */
export function parzen(points: readonly (readonly number[])[], weights: readonly number[], d: number): Density {
  const n = points.length;
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.pow(n + 1, -1 / (d + 4)) * 0.5));
  const total = 1 + weights.reduce((s, w) => s + w, 0);
  // The share of each kernel's mass inside [0, 1], per point and dimension.
  const inside = points.map((p) => p.map((c) => normalCdf((1 - c) / width) - normalCdf(-c / width)));
  return {
    logPdf(u) {
      let density = 1 / total; // the prior: uniform, density 1 on the box
      for (let k = 0; k < n; k++) {
        let log = Math.log(weights[k] / total);
        for (let j = 0; j < d; j++) {
          const z = (u[j] - points[k][j]) / width;
          log += -0.5 * z * z - Math.log(width * Math.sqrt(2 * Math.PI) * inside[k][j]);
        }
        density += Math.exp(log);
      }
      return Math.log(density);
    },
    draw(rng) {
      let pick = rng.next() * total - 1;
      if (pick < 0 || n === 0) return Array.from({ length: d }, () => rng.next());
      let k = 0;
      while (k < n - 1 && pick >= weights[k]) pick -= weights[k++];
      return points[k].map((c) => truncatedNormal(c, width, rng));
    },
  };
}

/** A draw from N(mean, width) restricted to [0, 1], by rejection (the kernel's mass inside is at least ~0.3). */
function truncatedNormal(mean: number, width: number, rng: Rng): number {
  for (let tries = 0; tries < 100; tries++) {
    const x = mean + width * standardNormal(rng);
    if (x >= 0 && x <= 1) return x;
  }
  return Math.min(1, Math.max(0, mean));
}
