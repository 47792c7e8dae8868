/**
 * The exponential mechanism (McSherry and Talwar 2007): candidate r with probability
 * proportional to exp(epsilon q_r / (2 sensitivity)), epsilon-DP when one row moves each score
 * by at most `sensitivity` (and epsilon^2/8-zCDP, Cesar and Rogers 2021). Sampled exactly by
 * rejection: a uniform candidate (node:crypto's randomInt, which rejects rather than reduces
 * modulo) is kept with probability exp(epsilon (q_r - q_max) / (2 sensitivity)) <= 1, a coin with
 * a rational probability settled by integer arithmetic (discrete-laplace.ts). The kept candidate
 * has exactly the mechanism's distribution, whatever the normaliser; a softmax in floating point
 * with an inverse-CDF draw would instead leak through its rounding, as the naive Laplace does.
 */
import { randomInt } from 'node:crypto';
import { bernoulliExpMinus } from './discrete-laplace.js';
import { toFraction } from './dyadic.js';

/** The index of the chosen candidate. */
export function exponentialMechanism(scores: ArrayLike<number>, epsilon: number, sensitivity: number): number {
  const k = scores.length;
  if (k === 0) throw new RangeError('the exponential mechanism needs at least one candidate');
  if (!(epsilon > 0) || !(sensitivity > 0))
    throw new RangeError(`the exponential mechanism needs epsilon, sensitivity > 0: ${epsilon}, ${sensitivity}`);
  let best = -Infinity;
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is not finite: ${scores[i]}`);
    best = Math.max(best, scores[i]);
  }
  // gamma_r = epsilon (q_max - q_r) / (2 sensitivity) >= 0, as exact fractions of the doubles.
  const gammas = Array.from({ length: k }, (_, i) => {
    const gamma = (epsilon * (best - scores[i])) / (2 * sensitivity);
    return gamma > 0 ? toFraction(gamma) : null;
  });
  for (;;) {
    const r = k === 1 ? 0 : randomInt(k);
    const gamma = gammas[r];
    if (gamma === null || bernoulliExpMinus(gamma.numerator, gamma.denominator)) return r;
  }
}
