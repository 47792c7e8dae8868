import { describe, expect, it } from '@jest/globals';
import {
  amplifiedEpsilon,
  keepProbability,
  laplace,
  laplaceMechanism,
  randomizedResponse,
  secureUniform,
} from '../../src/privacy/mechanisms.js';
import { lcg } from '../helpers/random.js';

/** Laplace(0, b) distribution function, written from its definition. */
const laplaceCdf = (x: number, b: number) => (x < 0 ? 0.5 * Math.exp(x / b) : 1 - 0.5 * Math.exp(-x / b));

/** One-sample Kolmogorov-Smirnov statistic against a continuous distribution function. */
function ksAgainst(samples: number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  return Math.max(...sorted.map((x, i) => Math.max(Math.abs(cdf(x) - i / n), Math.abs((i + 1) / n - cdf(x)))));
}

describe('laplace', () => {
  // The 0.1 % critical value of the one-sample KS statistic is about 1.95 / sqrt(n).
  const n = 20000;
  const critical = 1.95 / Math.sqrt(n);

  it('follows Laplace(0, b): one-sample KS test against the closed-form CDF', () => {
    const uniform = lcg(42);
    const samples = Array.from({ length: n }, () => laplace(2.5, uniform));
    expect(ksAgainst(samples, (x) => laplaceCdf(x, 2.5))).toBeLessThan(critical);
  });

  it('has variance 2 b^2 and mean absolute deviation b', () => {
    const uniform = secureUniform();
    const b = 3;
    const samples = Array.from({ length: n }, () => laplace(b, uniform));
    const mean = samples.reduce((a, x) => a + x, 0) / n;
    const variance = samples.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    const mad = samples.reduce((a, x) => a + Math.abs(x), 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt((2 * b * b) / n));
    expect(Math.abs(variance / (2 * b * b) - 1)).toBeLessThan(0.08);
    expect(Math.abs(mad / b - 1)).toBeLessThan(0.03);
  });

  it('rejects a distribution with the wrong scale (the test has power)', () => {
    const uniform = lcg(7);
    const samples = Array.from({ length: n }, () => laplace(2.2, uniform));
    expect(ksAgainst(samples, (x) => laplaceCdf(x, 2.5))).toBeGreaterThan(critical);
  });
});

describe('laplaceMechanism', () => {
  it('clamps to the bounds before adding noise of scale (hi - lo) / epsilon', () => {
    const uniform = lcg(3);
    const n = 20000;
    const noise = Array.from({ length: n }, () => laplaceMechanism(500, 0, 120, 2, uniform) - 120);
    expect(ksAgainst(noise, (x) => laplaceCdf(x, 60))).toBeLessThan(1.95 / Math.sqrt(n));
  });
});

describe('randomizedResponse', () => {
  it('keeps the true category with probability e^eps / (e^eps + k - 1) and spreads the rest evenly', () => {
    const uniform = lcg(11);
    const k = 5;
    const epsilon = 1;
    const n = 50000;
    const counts = new Array(k).fill(0);
    for (let i = 0; i < n; i++) counts[randomizedResponse(2, k, epsilon, uniform)]++;
    const p = Math.E / (Math.E + 4);
    expect(keepProbability(epsilon, k)).toBeCloseTo(p, 15);
    // Binomial 5-sigma bounds.
    expect(Math.abs(counts[2] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    const other = (1 - p) / (k - 1);
    for (const c of [0, 1, 3, 4])
      expect(Math.abs(counts[c] / n - other)).toBeLessThan(5 * Math.sqrt((other * (1 - other)) / n));
  });

  it('bounds the likelihood ratio of any output between two inputs by e^eps', () => {
    const k = 4;
    const epsilon = 0.7;
    const p = keepProbability(epsilon, k);
    const q = (1 - p) / (k - 1);
    expect(p / q).toBeCloseTo(Math.exp(epsilon), 12);
    // An out-of-domain input is answered uniformly: 1/k lies between q and p.
    expect(1 / k).toBeGreaterThanOrEqual(q);
    expect(1 / k).toBeLessThanOrEqual(p);
  });
});

describe('amplifiedEpsilon', () => {
  it('matches ln(1 + q (e^eps - 1)) at reference points', () => {
    expect(amplifiedEpsilon(1, 1)).toBeCloseTo(1, 12);
    expect(amplifiedEpsilon(1, 0.01)).toBeCloseTo(Math.log(1 + 0.01 * (Math.E - 1)), 14);
    // 1 + 0.1 * (e^2 - 1) = 1.6389056; ln of that = 0.4940287
    expect(amplifiedEpsilon(2, 0.1)).toBeCloseTo(0.4940287, 6);
  });
});

describe('secureUniform', () => {
  it('is uniform on [0, 1)', () => {
    const uniform = secureUniform();
    const n = 20000;
    const samples = Array.from({ length: n }, uniform);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(1);
    expect(ksAgainst(samples, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(1.95 / Math.sqrt(n));
  });
});
