/**
 * Local differential privacy mechanisms for sample-db (SPEC section 7), differentially private on
 * a finite-precision machine. All randomness is the operating system's CSPRNG and none of it can
 * be injected or seeded: --seed makes the row sample repeatable, never the noise.
 *
 * Numbers: a naive x + Laplace noise in floating point leaks the low-order bits of x (Mironov 2012).
 * As in Google's differential-privacy library, the value is rounded to a power-of-two grid fine
 * enough not to matter (about 2^-40 of the noise scale) and the noise is the grid step times an
 * exact discrete Laplace draw, so the release is a function of the grid cell alone.
 */
import { discreteLaplace } from './discrete-laplace.js';
import { ceilLog2, fromGrid, roundToGrid, toFraction } from './dyadic.js';
import { random53 } from './secure-random.js';
import { randomInt } from 'node:crypto';

// The row sampler's unseeded stream (sample-query) still reads a uniform double; noise never does.
export { secureUniform, type Uniform } from './secure-random.js';

/** Noise steps per scale unit: the grid is the power of two at or above scale / 2^40 (Google's choice). */
const GRID_STEPS_PER_SCALE = 40;

/** log2 of the grid step for noise of the given scale. */
export function gridExponent(scale: number): number {
  // Below 2^-1000 the grid step would be subnormal or zero.
  if (!(scale >= 2 ** -1000) || !Number.isFinite(scale))
    throw new RangeError(`noise scale must be positive and finite: ${scale}`);
  return ceilLog2(scale) - GRID_STEPS_PER_SCALE;
}

/** The grid step of laplaceMechanism's outputs for these bounds and epsilon. */
export const laplaceGranularity = (lo: number, hi: number, epsilon: number): number =>
  2 ** gridExponent((hi - lo) / epsilon);

/**
 * The value clamped to [lo, hi] plus Laplace noise of scale (hi - lo) / epsilon: epsilon-DP for one value.
 * On the grid 2^g the clamped value becomes k = round(x / 2^g) in [round(lo / 2^g), round(hi / 2^g)], so
 * neighbours differ by at most D grid steps, D computed exactly; noise with P(y) proportional to
 * exp(-epsilon |y| / D) then bounds every output's likelihood ratio by e^epsilon.
 */
export function laplaceMechanism(value: number, lo: number, hi: number, epsilon: number): number {
  if (Number.isNaN(value)) throw new RangeError('laplaceMechanism got NaN');
  const { grid, t, s } = gridNoise(lo, hi, epsilon);
  const k = roundToGrid(Math.min(hi, Math.max(lo, value)), grid);
  // No grid step between lo and hi (epsilon below 2^-40): every input lands on the same k.
  if (t === 0n) return fromGrid(k, grid);
  return fromGrid(k + discreteLaplace(t, s), grid);
}

interface GridNoise {
  readonly lo: number;
  readonly hi: number;
  readonly epsilon: number;
  readonly grid: number;
  /** The noise scale in grid steps, D / epsilon, as the exact fraction t / s (epsilon is a dyadic rational). */
  readonly t: bigint;
  readonly s: bigint;
}

const recentNoise: GridNoise[] = [];

/** The grid and noise parameters, kept for the next calls: each column noises every row with the same ones. */
function gridNoise(lo: number, hi: number, epsilon: number): GridNoise {
  const known = recentNoise.find((n) => n.lo === lo && n.hi === hi && n.epsilon === epsilon);
  if (known) return known;
  if (!(lo < hi) || !(epsilon > 0)) throw new RangeError(`laplaceMechanism needs lo < hi and epsilon > 0`);
  const grid = gridExponent((hi - lo) / epsilon);
  const steps = roundToGrid(hi, grid) - roundToGrid(lo, grid);
  const { numerator, denominator } = toFraction(epsilon);
  const noise = { lo, hi, epsilon, grid, t: steps * denominator, s: numerator };
  if (recentNoise.unshift(noise) > 16) recentNoise.pop();
  return noise;
}

/**
 * Zero-mean Laplace noise of the given scale on the grid gridExponent(scale): discrete Laplace in grid
 * steps, exactly. Adding it to a value already on that grid (an integer count, for any scale below 2^40)
 * is the grid mechanism above, with sensitivity epsilon * scale.
 */
export function laplace(scale: number): number {
  if (lastScale?.scale !== scale) {
    const grid = gridExponent(scale);
    const { numerator, denominator } = toFraction(scale);
    // scale / 2^grid = numerator / (denominator * 2^grid)
    const [t, s] = grid >= 0 ? [numerator, denominator << BigInt(grid)] : [numerator << BigInt(-grid), denominator];
    lastScale = { scale, grid, t, s };
  }
  return fromGrid(discreteLaplace(lastScale.t, lastScale.s), lastScale.grid);
}

let lastScale: { scale: number; grid: number; t: bigint; s: bigint } | undefined;

/** Probability that k-ary randomized response reports the true category: e^eps / (e^eps + k - 1). */
export const keepProbability = (epsilon: number, k: number): number => 1 / (1 + (k - 1) * Math.exp(-epsilon));

/**
 * The keep probability as a multiple of 2^-53, rounded down past any floating-point error, so the coin
 * is decided by an exact integer comparison and its likelihood ratio never exceeds e^eps (it is low by
 * at most about 2^-49).
 */
function keepThreshold(epsilon: number, k: number): number {
  // exp, the product, the sum and the quotient are each within an ulp: 16 units of 2^-53 cover them.
  return Math.max(0, Math.floor(keepProbability(epsilon, k) * 2 ** 53) - 16);
}

/**
 * k-ary randomized response over categories 0..k-1: the true one with probability
 * e^eps / (e^eps + k - 1), otherwise one of the other k - 1 uniformly. An input outside the
 * domain (index < 0) is reported uniformly at random, which keeps the e^eps bound against every input.
 * Uniform choices come from node:crypto's randomInt, which rejects rather than reduces modulo k.
 */
export function randomizedResponse(index: number, k: number, epsilon: number): number {
  if (k <= 1) return 0;
  if (!(epsilon > 0)) throw new RangeError(`randomizedResponse needs epsilon > 0: ${epsilon}`);
  if (index < 0 || index >= k) return randomInt(k);
  if (random53() < keepThreshold(epsilon, k)) return index;
  const other = randomInt(k - 1);
  return other >= index ? other + 1 : other;
}
