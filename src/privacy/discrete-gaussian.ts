/**
 * The discrete Gaussian N_Z(0, sigma^2), P(y) proportional to exp(-y^2 / (2 sigma^2)) on the
 * integers, sampled exactly by Algorithm 3 of Canonne, Kamath and Steinke (NeurIPS 2020): a
 * discrete Laplace proposal of scale t = floor(sigma) + 1, kept with probability
 * exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2)), a coin with a rational probability settled by integer
 * arithmetic (discrete-laplace.ts). Added to an integer count of L2 sensitivity 1 it is
 * 1/(2 sigma^2)-zCDP (their Theorem 4), with no floating-point leak (Mironov 2012): the output
 * is the count plus an exact integer.
 */
import { bernoulliExpMinus, discreteLaplace } from './discrete-laplace.js';
import { logErfc, normalPpf } from '../core/stats/normal.js';
import { toFraction } from './dyadic.js';

interface Parameters {
  /** sigma^2 = a / b exactly. */
  readonly a: bigint;
  readonly b: bigint;
  readonly t: bigint;
}

function parameters(sigma: number): Parameters {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`discrete Gaussian needs sigma > 0: ${sigma}`);
  const { numerator: a, denominator: b } = toFraction(sigma * sigma);
  return { a, b, t: BigInt(Math.floor(sigma)) + 1n };
}

function draw({ a, b, t }: Parameters): bigint {
  for (;;) {
    const y = discreteLaplace(t, 1n);
    const magnitude = y < 0n ? -y : y;
    // (|y| - sigma^2 / t)^2 / (2 sigma^2) = (|y| b t - a)^2 / (2 a b t^2)
    const gap = magnitude * b * t - a;
    if (bernoulliExpMinus(gap * gap, 2n * a * b * t * t)) return y;
  }
}

/** One draw from N_Z(0, sigma^2). */
export const discreteGaussian = (sigma: number): number => Number(draw(parameters(sigma)));

/** Each count plus its own N_Z(0, sigma^2) draw: the Gaussian mechanism on integer counts. */
export function addDiscreteGaussian(counts: ArrayLike<number>, sigma: number): Float64Array {
  const p = parameters(sigma);
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    if (!Number.isInteger(counts[i])) throw new RangeError(`a count must be a whole number, not ${counts[i]}`);
    out[i] = counts[i] + Number(draw(p));
  }
  return out;
}

/**
 * An upper bound on P(Z >= m) for Z ~ N_Z(0, sigma^2): the tail sum is at most its first term plus
 * the Gaussian integral from m, and the normaliser is at least sqrt(2 pi) sigma (Poisson
 * summation), so P(Z >= m) <= Q(m / sigma) + exp(-m^2 / (2 sigma^2)) / (sqrt(2 pi) sigma). Q is
 * raised by 1e-6 of itself for the erfc fit's relative error (below 1.2e-7).
 */
export function discreteGaussianTailBound(m: number, sigma: number): number {
  const q = 0.5 * Math.exp(logErfc(m / sigma / Math.SQRT2)) * (1 + 1e-6);
  return q + Math.exp(-(m * m) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
}

/**
 * The smallest whole m >= 1 with P(Z >= m) <= delta by that bound: a count of one plus
 * N_Z(0, sigma^2) exceeds m with probability at most delta, so a threshold release "noisy > m"
 * releases a value held by one row with probability at most delta.
 */
export function discreteGaussianThreshold(sigma: number, delta: number): number {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`a threshold needs 0 < delta < 1: ${delta}`);
  let m = Math.max(1, Math.floor(sigma * normalPpf(1 - delta)));
  while (discreteGaussianTailBound(m, sigma) > delta) m++;
  return m;
}
