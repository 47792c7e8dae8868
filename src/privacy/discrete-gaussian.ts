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
