/**
 * Exact samplers of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy"
 * (NeurIPS 2020), Algorithms 1 and 2. Every decision is a coin with a rational probability settled
 * by an integer comparison, so the output follows its distribution exactly: no logarithm of a
 * uniform double, whose rounding is what leaks in Mironov's attack (CCS 2012).
 *
 * We chose these over Google's geometric sampler (a binary search whose split probabilities are
 * computed in floating point): both put the noise on a power-of-two grid, but here the grid-unit
 * distribution is exactly the discrete Laplace we account for, and BigInt removes the overflow
 * caveats that library documents. Expected cost is a handful of draws per sample at any scale.
 */
import { randomInt } from 'node:crypto';
import { bernoulliRatio, randomBit, uniformBelowBig } from './secure-random.js';

/** Bernoulli(exp(-1)) by Algorithm 1 with gamma = 1: count successes of Bernoulli(1/k), k = 1, 2, ... */
function bernoulliExpMinusOne(): boolean {
  let k = 1;
  while (randomInt(k) === 0) k++; // Bernoulli(1 / k), exact: randomInt rejects instead of reducing modulo k
  return k % 2 === 1;
}

/**
 * True with probability exp(-numerator / denominator) exactly (numerator >= 0, denominator >= 1).
 * For gamma in [0, 1]: K is the first k with Bernoulli(gamma / k) = 0, and P(K odd) = exp(-gamma).
 * A larger gamma is split into floor(gamma) coins of exp(-1) and one for the remainder.
 */
export function bernoulliExpMinus(numerator: bigint, denominator: bigint): boolean {
  if (numerator < 0n || denominator < 1n) throw new RangeError('bernoulliExpMinus needs gamma >= 0');
  let rest = numerator;
  while (rest > denominator) {
    if (!bernoulliExpMinusOne()) return false;
    rest -= denominator;
  }
  let k = 1n;
  while (bernoulliRatio(rest, denominator * k)) k++;
  return k % 2n === 1n;
}

/**
 * A draw Y from the discrete Laplace distribution with scale t / s (t, s >= 1):
 * P(Y = y) = (e^(s/t) - 1) / (e^(s/t) + 1) * e^(-|y| s / t), the two-sided geometric distribution.
 * Algorithm 2: X = U + t V with U uniform on [0, t) kept with probability exp(-U / t) and V geometric
 * with parameter 1 - 1/e is geometric with parameter 1 - e^(-1/t); Y = floor(X / s) with a random
 * sign, where "-0" is rejected so that 0 is not counted twice.
 */
export function discreteLaplace(t: bigint, s: bigint): bigint {
  if (t < 1n || s < 1n) throw new RangeError('discreteLaplace needs t, s >= 1');
  for (;;) {
    const u = uniformBelowBig(t);
    if (!bernoulliExpMinus(u, t)) continue;
    let v = 0n;
    while (bernoulliExpMinusOne()) v++;
    const y = (u + t * v) / s;
    const negative = randomBit();
    if (negative && y === 0n) continue;
    return negative ? -y : y;
  }
}
