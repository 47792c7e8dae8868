/**
 * A variational Bayesian Gaussian mixture on one numeric column, with a Dirichlet-process
 * (stick-breaking) prior on the weights: Blei and Jordan (2006), with the Gaussian-Wishart
 * updates of Bishop (2006, section 10.2). Priors, initialisation and stopping follow sklearn's
 * BayesianGaussianMixture as the reference CTGAN fits it (10 components, weight concentration
 * 0.001, the other arguments at their defaults), so that the modes it finds are the reference's.
 */
import { sampleIndices, type Rng } from '../../core/rng.js';
import { digamma, logBeta, logGamma } from '../../core/stats/special.js';
import { kMeansLabels } from './kmeans-1d.js';

export interface MixtureComponent {
  readonly mean: number;
  readonly sd: number;
  /** Expected stick-breaking weight; the kept components' weights sum to at most 1. */
  readonly weight: number;
  /**
   * The component's variational log-weight plus its expected log-density terms that do not
   * depend on x: the posterior responsibility for x is proportional to
   * exp(logScale - (x - mean)^2 / (2 sd^2)) (sklearn's predict_proba).
   */
  readonly logScale: number;
}

export interface MixtureOptions {
  readonly maxComponents: number;
  /** gamma of the stick-breaking Beta(1, gamma) prior: small values favour few components. */
  readonly weightConcentration: number;
  /** Components whose weight is not above this are dropped. */
  readonly weightThreshold: number;
  readonly maxIterations: number;
  /** The fit stops when the evidence lower bound changes by less than this. */
  readonly tolerance: number;
  /** Larger columns are fitted on this many values drawn without replacement. */
  readonly sampleSize: number;
}

export const MIXTURE_DEFAULTS: MixtureOptions = {
  maxComponents: 10,
  weightConcentration: 0.001,
  weightThreshold: 0.005,
  maxIterations: 100,
  tolerance: 1e-3,
  sampleSize: 10_000,
};

/** Added to every variance, as sklearn's reg_covar: keeps a component on one repeated value finite. */
const REG_COVAR = 1e-6;
/** Added to every component's count, as sklearn does, so that an empty component divides safely. */
const EMPTY_COUNT = 10 * Number.EPSILON;
const LOG_2PI = Math.log(2 * Math.PI);

/** Variational posterior: Beta(a, b) sticks, Normal(m, cov / beta) means, Wishart(dof) precisions. */
interface Posterior {
  a: Float64Array;
  b: Float64Array;
  beta: Float64Array;
  means: Float64Array;
  dof: Float64Array;
  /** sklearn's covariances_: the Wishart scale's inverse over the degrees of freedom. */
  cov: Float64Array;
}

interface Priors {
  readonly mean: number;
  /** The column's unbiased variance: the Wishart prior's scale. */
  readonly variance: number;
  readonly gamma: number;
}

/** Fits the mixture on the non-missing values (NaN is skipped); no values give no components. */
export function fitBayesianMixture(
  values: ArrayLike<number>,
  rng: Rng,
  options: Partial<MixtureOptions> = {},
): MixtureComponent[] {
  const settings = { ...MIXTURE_DEFAULTS, ...options };
  const x = boundedSample(values, settings.sampleSize, rng);
  const n = x.length;
  if (n === 0) return [];
  const first = x[0];
  if (x.every((v) => v === first))
    return [{ mean: first, sd: Math.sqrt(REG_COVAR), weight: 1, logScale: -0.5 * LOG_2PI - 0.5 * Math.log(REG_COVAR) }];

  const k = Math.min(settings.maxComponents, n);
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const priors: Priors = {
    mean,
    variance: x.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1),
    gamma: settings.weightConcentration,
  };
  const resp = new Float64Array(n * k);
  const labels = kMeansLabels(x, k, rng);
  for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
  const posterior = mStep(x, resp, k, priors);

  let lowerBound = -Infinity;
  for (let iteration = 0; iteration < settings.maxIterations; iteration++) {
    const entropy = eStep(x, posterior, resp);
    Object.assign(posterior, mStep(x, resp, k, priors));
    const previous = lowerBound;
    lowerBound = evidenceLowerBound(posterior, entropy);
    if (Math.abs(lowerBound - previous) < settings.tolerance) break;
  }
  return components(posterior).filter((c) => c.weight > settings.weightThreshold);
}

/** Responsibilities of `components` for `value`, normalised over them (written into `out`). */
export function responsibilities(components: readonly MixtureComponent[], value: number, out: Float64Array): void {
  let max = -Infinity;
  components.forEach((c, j) => {
    out[j] = c.logScale - (value - c.mean) ** 2 / (2 * c.sd * c.sd);
    max = Math.max(max, out[j]);
  });
  let total = 0;
  for (let j = 0; j < components.length; j++) total += out[j] = Math.exp(out[j] - max);
  for (let j = 0; j < components.length; j++) out[j] /= total;
}

function boundedSample(values: ArrayLike<number>, size: number, rng: Rng): Float64Array {
  const observed = Float64Array.from(Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[]);
  if (observed.length <= size) return observed;
  return Float64Array.from(sampleIndices(observed.length, size, rng), (i) => observed[i]);
}

/** Updates the posterior from responsibilities (sklearn's _m_step with its priors: mean precision 1, dof 1). */
function mStep(x: Float64Array, resp: Float64Array, k: number, priors: Priors): Posterior {
  const nk = new Float64Array(k).fill(EMPTY_COUNT);
  const xk = new Float64Array(k);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < k; j++) {
      nk[j] += resp[i * k + j];
      xk[j] += resp[i * k + j] * x[i];
    }
  for (let j = 0; j < k; j++) xk[j] /= nk[j];
  const sk = new Float64Array(k);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < k; j++) sk[j] += resp[i * k + j] * (x[i] - xk[j]) ** 2;
  for (let j = 0; j < k; j++) sk[j] = sk[j] / nk[j] + REG_COVAR;

  const a = nk.map((n) => 1 + n);
  const b = new Float64Array(k);
  let later = 0;
  for (let j = k - 1; j >= 0; j--) {
    b[j] = priors.gamma + later;
    later += nk[j];
  }
  const beta = nk.map((n) => 1 + n);
  const means = xk.map((m, j) => (priors.mean + nk[j] * m) / beta[j]);
  const dof = nk.map((n) => 1 + n);
  const cov = nk.map((n, j) => (priors.variance + n * sk[j] + (n / beta[j]) * (xk[j] - priors.mean) ** 2) / dof[j]);
  return { a, b, beta, means, dof, cov };
}

/** Expected log stick-breaking weights: E[log v_k] + sum over earlier sticks of E[log(1 - v_j)]. */
function logWeights(posterior: Posterior): Float64Array {
  const k = posterior.a.length;
  const out = new Float64Array(k);
  let broken = 0;
  for (let j = 0; j < k; j++) {
    const total = digamma(posterior.a[j] + posterior.b[j]);
    out[j] = digamma(posterior.a[j]) - total + broken;
    broken += digamma(posterior.b[j]) - total;
  }
  return out;
}

/** The x-independent part of each component's expected log weight and log density. */
function logScales(posterior: Posterior): Float64Array {
  const logW = logWeights(posterior);
  return logW.map((w, j) => {
    const { cov, dof, beta } = posterior;
    const expectedLogPrecision = Math.log(2) + digamma(0.5 * dof[j]) - Math.log(cov[j] * dof[j]);
    return w - 0.5 * LOG_2PI + 0.5 * expectedLogPrecision - 0.5 / beta[j];
  });
}

/** Writes the responsibilities into `resp`; returns their entropy, -sum r log r. */
function eStep(x: Float64Array, posterior: Posterior, resp: Float64Array): number {
  const k = posterior.a.length;
  const scales = logScales(posterior);
  const logs = new Float64Array(k);
  let entropy = 0;
  for (let i = 0; i < x.length; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      logs[j] = scales[j] - (x[i] - posterior.means[j]) ** 2 / (2 * posterior.cov[j]);
      max = Math.max(max, logs[j]);
    }
    let total = 0;
    for (let j = 0; j < k; j++) total += Math.exp(logs[j] - max);
    const logNorm = max + Math.log(total);
    for (let j = 0; j < k; j++) {
      const logR = logs[j] - logNorm;
      const r = Math.exp(logR);
      resp[i * k + j] = r;
      if (r > 0) entropy -= r * logR;
    }
  }
  return entropy;
}

/** sklearn's lower bound (constant terms dropped), used only to decide convergence. */
function evidenceLowerBound(posterior: Posterior, entropy: number): number {
  const { a, b, beta, dof, cov } = posterior;
  let bound = entropy;
  for (let j = 0; j < a.length; j++) {
    const logDetPrecisionCholesky = -0.5 * Math.log(cov[j]) - 0.5 * Math.log(dof[j]);
    const logWishartNorm = -(dof[j] * logDetPrecisionCholesky + dof[j] * 0.5 * Math.log(2) + logGamma(0.5 * dof[j]));
    bound += -logWishartNorm + logBeta(a[j], b[j]) - 0.5 * Math.log(beta[j]);
  }
  return bound;
}

/** Means, standard deviations and expected weights (renormalised stick products) of every component. */
function components(posterior: Posterior): MixtureComponent[] {
  const { a, b, means, cov } = posterior;
  const raw: number[] = [];
  let remaining = 1;
  for (let j = 0; j < a.length; j++) {
    raw.push((a[j] / (a[j] + b[j])) * remaining);
    remaining *= b[j] / (a[j] + b[j]);
  }
  const total = raw.reduce((s, w) => s + w, 0);
  const scales = logScales(posterior);
  return raw.map((w, j) => ({ mean: means[j], sd: Math.sqrt(cov[j]), weight: w / total, logScale: scales[j] }));
}
