import { describe, expect, it } from '@jest/globals';
import { bernoulliExpMinus, discreteLaplace } from '../../src/privacy/discrete-laplace.js';
import { ceilLog2, roundToGrid, toDyadic, toFraction } from '../../src/privacy/dyadic.js';
import { bernoulliRatio, secureUniform, uniformBelowBig, uniformPrefixBelow } from '../../src/privacy/secure-random.js';
import { goodnessOfFit } from '../helpers/statistics.js';

// Every distribution test rejects at p < 1e-6, so a correct sampler fails about once in a million runs.
const STRICT = 1e-6;

/** The discrete Laplace pmf with scale t/s from its definition: (1 - r) / (1 + r) * r^|y|, r = e^(-s/t). */
const discreteLaplacePmf = (scale: number) => (y: number) => {
  const r = Math.exp(-1 / scale);
  return ((1 - r) / (1 + r)) * r ** Math.abs(y);
};

/** Cells -m..m for the integers, with everything below -m and above m merged into the end cells. */
function integerCells(samples: bigint[], m: number, pmf: (y: number) => number) {
  const observed = new Array<number>(2 * m + 1).fill(0);
  for (const y of samples) observed[Math.max(-m, Math.min(m, Number(y))) + m]++;
  const probabilities = observed.map((_, i) => pmf(i - m));
  const tail = (1 - probabilities.slice(1, -1).reduce((a, p) => a + p, 0)) / 2;
  probabilities[0] = tail;
  probabilities[2 * m] = tail;
  return { observed, probabilities };
}

describe('toDyadic and toFraction', () => {
  it('read doubles exactly, subnormals and negatives included', () => {
    expect(toDyadic(1)).toEqual({ mantissa: 1n << 52n, exponent: -52 });
    expect(toDyadic(-0.75)).toEqual({ mantissa: -(3n << 51n), exponent: -53 });
    expect(toDyadic(5e-324)).toEqual({ mantissa: 1n, exponent: -1074 });
    expect(toFraction(0.1)).toEqual({ numerator: 3602879701896397n, denominator: 1n << 55n });
    expect(toFraction(6)).toEqual({ numerator: 6n, denominator: 1n });
    expect(toFraction(0.375)).toEqual({ numerator: 3n, denominator: 8n });
  });

  it('round to a power-of-two grid with halves up, far beyond 2^53', () => {
    expect(roundToGrid(0.3, -2)).toBe(1n); // 1.2 steps
    expect(roundToGrid(-0.375, -2)).toBe(-1n); // -1.5 steps rounds up
    expect(roundToGrid(0.375, -2)).toBe(2n);
    expect(roundToGrid(1e30, -40)).toBe(BigInt(1e30) << 40n);
  });

  it('finds the power of two at or above a number', () => {
    expect(ceilLog2(1)).toBe(0);
    expect(ceilLog2(1.0000000000000002)).toBe(1);
    expect(ceilLog2(0.75)).toBe(0);
    expect(ceilLog2(2 ** -1074)).toBe(-1074);
  });
});

describe('uniformBelowBig', () => {
  it('is uniform over a range that is not a power of two, beyond 2^48', () => {
    const n = 30000;
    const range = 3n << 70n;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[Number(uniformBelowBig(range) >> 70n)]++;
    expect(goodnessOfFit(counts, [1 / 3, 1 / 3, 1 / 3])).toBeGreaterThan(STRICT);
    // The same check sees a 10 % skew: it is not blind.
    expect(goodnessOfFit([11000, 9500, 9500], [1 / 3, 1 / 3, 1 / 3])).toBeLessThan(STRICT);
  });
});

describe('secureUniform', () => {
  it('is uniform on [0, 1) (the unseeded row sample reads it)', () => {
    const uniform = secureUniform();
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const u = uniform();
      expect(u >= 0 && u < 1).toBe(true);
      counts[Math.floor(u * 10)]++;
    }
    expect(goodnessOfFit(counts, new Array(10).fill(0.1))).toBeGreaterThan(STRICT);
  });
});

describe('bernoulliRatio', () => {
  it.each([
    [1n, 3n],
    [2n ** 80n, 3n ** 51n], // about 0.56, integers beyond 2^64
    [1n, 2n ** 60n + 1n],
  ])('comes up with probability %s / %s', (numerator, denominator) => {
    const n = 20000;
    let heads = 0;
    for (let i = 0; i < n; i++) if (bernoulliRatio(numerator, denominator)) heads++;
    const p = Number(numerator) / Number(denominator);
    if (p < 1e-9) expect(heads).toBe(0);
    else expect(goodnessOfFit([heads, n - heads], [p, 1 - p])).toBeGreaterThan(STRICT);
  });

  it('handles integers beyond the range of doubles', () => {
    const huge = 1n << 1100n;
    expect(bernoulliRatio(huge - 1n, huge)).toBe(true); // false with probability 2^-1100
    expect(uniformBelowBig(huge) < huge).toBe(true);
  });

  it('settles a uniform whose first bits straddle the fraction with the exact remaining probability', () => {
    // 2^53 / 3 = 3002399751580330.67: from the prefix 3002399751580330, V < 1/3 with probability 2/3.
    const n = 20000;
    let below = 0;
    for (let i = 0; i < n; i++) if (uniformPrefixBelow(3002399751580330n, 53n, 1n, 3n)) below++;
    expect(goodnessOfFit([below, n - below], [2 / 3, 1 / 3])).toBeGreaterThan(STRICT);
    expect(uniformPrefixBelow(3002399751580329n, 53n, 1n, 3n)).toBe(true);
    expect(uniformPrefixBelow(3002399751580331n, 53n, 1n, 3n)).toBe(false);
  });
});

describe('bernoulliExpMinus', () => {
  it('always comes up for exp(0)', () => {
    for (let i = 0; i < 1000; i++) expect(bernoulliExpMinus(0n, 7n)).toBe(true);
  });

  it.each([
    [3n, 10n],
    [1n, 1n],
    [5n, 2n],
    [7n << 60n, 3n << 60n],
  ])('comes up with probability exp(-%s / %s)', (numerator, denominator) => {
    const n = 20000;
    let heads = 0;
    for (let i = 0; i < n; i++) if (bernoulliExpMinus(numerator, denominator)) heads++;
    const p = Math.exp(-Number(numerator) / Number(denominator));
    expect(goodnessOfFit([heads, n - heads], [p, 1 - p])).toBeGreaterThan(STRICT);
  });
});

describe('discreteLaplace', () => {
  const draw = (t: bigint, s: bigint, n: number) => Array.from({ length: n }, () => discreteLaplace(t, s));

  it.each([
    [1n, 1n, 6],
    [5n, 2n, 14],
    [7n, 3n, 12],
  ])('with scale %s/%s follows the two-sided geometric pmf (chi-square)', (t, s, m) => {
    const samples = draw(t, s, 40000);
    const { observed, probabilities } = integerCells(samples, m, discreteLaplacePmf(Number(t) / Number(s)));
    expect(goodnessOfFit(observed, probabilities)).toBeGreaterThan(STRICT);
  });

  it('keeps exact scales whose integers exceed 2^64', () => {
    // scale (3 * 2^70 + 1) / 2^70, just above 3
    const t = (3n << 70n) + 1n;
    const s = 1n << 70n;
    const { observed, probabilities } = integerCells(draw(t, s, 40000), 14, discreteLaplacePmf(3));
    expect(goodnessOfFit(observed, probabilities)).toBeGreaterThan(STRICT);
  });

  it('the same check rejects a scale 20 % off (it has power)', () => {
    const samples = draw(5n, 2n, 40000);
    const { observed, probabilities } = integerCells(samples, 14, discreteLaplacePmf(2.5 * 1.2));
    expect(goodnessOfFit(observed, probabilities)).toBeLessThan(STRICT);
  });
});
