/**
 * Local differential privacy mechanisms for sample-db (SPEC section 7). Noise comes from a
 * cryptographic source unless a test injects one: a seeded stream would let anyone who knows
 * the seed subtract the noise. (--seed makes the row sample repeatable, never the noise.)
 */
import { randomBytes } from 'node:crypto';

/** Uniform in [0, 1). */
export type Uniform = () => number;

/** 53 random bits from the operating system's CSPRNG, buffered. */
export function secureUniform(): Uniform {
  let pool = randomBytes(0);
  let at = 0;
  return () => {
    if (at + 7 > pool.length) {
      pool = randomBytes(7 * 1024);
      at = 0;
    }
    const high = pool.readUIntBE(at, 3) & 0x1fffff; // 21 bits
    const low = pool.readUIntBE(at + 3, 4); // 32 bits
    at += 7;
    return (high * 4294967296 + low) / 9007199254740992;
  };
}

/** A draw from Laplace(0, scale) by inversion: -scale * sign(u) * ln(1 - 2|u|), u uniform in (-1/2, 1/2). */
export function laplace(scale: number, uniform: Uniform): number {
  let u = uniform() - 0.5;
  while (u === -0.5) u = uniform() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/** The value clamped to [lo, hi] plus Laplace noise of scale (hi - lo) / epsilon: epsilon-DP for one value. */
export function laplaceMechanism(value: number, lo: number, hi: number, epsilon: number, uniform: Uniform): number {
  const clamped = Math.min(hi, Math.max(lo, value));
  return clamped + laplace((hi - lo) / epsilon, uniform);
}

/** Probability that k-ary randomized response reports the true category. */
export const keepProbability = (epsilon: number, k: number): number => Math.exp(epsilon) / (Math.exp(epsilon) + k - 1);

/**
 * k-ary randomized response over categories 0..k-1: the true one with probability
 * e^eps / (e^eps + k - 1), otherwise one of the other k - 1 uniformly. An input outside the
 * domain (index < 0) is reported uniformly at random, which keeps the e^eps bound against every input.
 */
export function randomizedResponse(index: number, k: number, epsilon: number, uniform: Uniform): number {
  if (k <= 1) return 0;
  if (index < 0 || index >= k) return Math.floor(uniform() * k);
  if (uniform() < keepProbability(epsilon, k)) return index;
  const other = Math.floor(uniform() * (k - 1));
  return other >= index ? other + 1 : other;
}

/** Privacy amplification by Bernoulli sampling with rate q: ln(1 + q (e^eps - 1)). */
export const amplifiedEpsilon = (epsilon: number, q: number): number => Math.log1p(q * Math.expm1(epsilon));
