/**
 * The RDP accountant for DP-SGD with Poisson sampling (SPEC section 6): the Renyi DP of the
 * sampled Gaussian mechanism (Mironov, Talwar and Zhang 2019, section 3.3), composed over steps,
 * converted to (epsilon, delta) with the bound Opacus uses (Balle et al. 2020, Theorem 21), and a
 * bisection for the smallest noise multiplier that meets a target epsilon.
 */
import { logErfc } from '../core/stats/normal.js';

/** The orders SPEC section 6 names: 1.1..10.9 by 0.1, then 12..63. */
export const RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => Math.round((1 + (i + 1) / 10) * 10) / 10),
  ...Array.from({ length: 52 }, (_, i) => 12 + i),
]);

const logAdd = (a: number, b: number): number => {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  return hi === -Infinity ? -Infinity : hi + Math.log1p(Math.exp(lo - hi));
};

/** log(exp(a) - exp(b)) for a >= b. */
const logSub = (a: number, b: number): number => {
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  return a + Math.log(-Math.expm1(b - a));
};

/** log C(n, k) for integer n, k. */
function logBinomial(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** Integer alpha: log A_alpha = log sum_k C(alpha, k) (1-q)^(alpha-k) q^k exp((k^2 - k) / (2 sigma^2)). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let log = -Infinity;
  for (let k = 0; k <= alpha; k++) {
    log = logAdd(
      log,
      logBinomial(alpha, k) + k * Math.log(q) + (alpha - k) * Math.log1p(-q) + (k * k - k) / (2 * sigma * sigma),
    );
  }
  return log;
}

/** Fractional alpha: the two-sided series of Mironov et al. (2019), summed until its terms are negligible. */
function logAFractional(q: number, sigma: number, alpha: number): number {
  let a0 = -Infinity;
  let a1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coefficient = 1; // the generalised binomial C(alpha, i), built up term by term
  for (let i = 0; ; i++) {
    if (i > 0) coefficient *= (alpha - i + 1) / i;
    const logCoefficient = Math.log(Math.abs(coefficient));
    const j = alpha - i;
    const t0 = logCoefficient + i * Math.log(q) + j * Math.log1p(-q);
    const t1 = logCoefficient + j * Math.log(q) + i * Math.log1p(-q);
    const e0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const e1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const s0 = t0 + (i * i - i) / (2 * sigma * sigma) + e0;
    const s1 = t1 + (j * j - j) / (2 * sigma * sigma) + e1;
    if (coefficient > 0) {
      a0 = logAdd(a0, s0);
      a1 = logAdd(a1, s1);
    } else {
      a0 = logSub(a0, s0);
      a1 = logSub(a1, s1);
    }
    if (Math.max(s0, s1) < -30 || i > 10000) break;
  }
  return logAdd(a0, a1);
}

/** RDP of one step of the sampled Gaussian mechanism at order alpha. */
export function rdpStep(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  return logA / (alpha - 1);
}

export interface Spent {
  readonly epsilon: number;
  readonly order: number;
}

/** (epsilon, delta)-DP of `steps` steps: the best order of the conversion eps = rdp + log((a-1)/a) - (log delta + log a) / (a-1). */
export function epsilonSpent(
  q: number,
  sigma: number,
  steps: number,
  delta: number,
  orders: readonly number[] = RDP_ORDERS,
): Spent {
  let best: Spent = { epsilon: Infinity, order: NaN };
  for (const a of orders) {
    const rdp = steps * rdpStep(q, sigma, a);
    const epsilon = rdp + Math.log1p(-1 / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
    if (Number.isFinite(epsilon) && epsilon < best.epsilon) best = { epsilon: Math.max(0, epsilon), order: a };
  }
  return best;
}

/**
 * The smallest noise multiplier (to `tolerance`) whose epsilon after `steps` steps is at most
 * `epsilon`; epsilon falls as sigma grows, so bisection on sigma finds it.
 */
export function noiseForEpsilon(epsilon: number, q: number, steps: number, delta: number, tolerance = 1e-4): number {
  if (!(epsilon > 0)) throw new RangeError('the target epsilon must be positive');
  let high = 1;
  while (epsilonSpent(q, high, steps, delta).epsilon > epsilon) {
    high *= 2;
    if (high > 1e6) throw new RangeError(`no noise multiplier up to 1e6 reaches epsilon ${epsilon}`);
  }
  let low = 0;
  while (high - low > tolerance) {
    const mid = (low + high) / 2;
    if (epsilonSpent(q, mid, steps, delta).epsilon > epsilon) low = mid;
    else high = mid;
  }
  return high;
}
