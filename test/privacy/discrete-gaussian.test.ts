import { describe, expect, it } from '@jest/globals';
import {
  addDiscreteGaussian,
  discreteGaussian,
  discreteGaussianTailBound,
  discreteGaussianThreshold,
} from '../../src/privacy/discrete-gaussian.js';
import { goodnessOfFit, mergeRareCells } from '../helpers/statistics.js';

// Rejects at p < 1e-6: a correct sampler fails about once in a million runs.
const STRICT = 1e-6;

/** The discrete Gaussian's pmf from its definition, normalised over -m..m (the rest is below 1e-30 here). */
function pmf(sigma: number, m: number): number[] {
  const w = Array.from({ length: 2 * m + 1 }, (_, i) => Math.exp(-((i - m) ** 2) / (2 * sigma * sigma)));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

describe('discrete Gaussian (Canonne, Kamath and Steinke, Algorithm 3)', () => {
  it.each([0.7, 2.5, 9])('draws N_Z(0, %p^2) by a chi-square test against its pmf', (sigma) => {
    const m = Math.ceil(12 * sigma);
    const observed = new Array<number>(2 * m + 1).fill(0);
    const n = 40000;
    for (let i = 0; i < n; i++) observed[Math.max(-m, Math.min(m, discreteGaussian(sigma))) + m]++;
    const cells = mergeRareCells(observed, pmf(sigma, m), n);
    expect(goodnessOfFit(cells.observed, cells.probabilities)).toBeGreaterThan(STRICT);
  });

  it('adds independent noise to whole counts and refuses fractional ones', () => {
    const noisy = addDiscreteGaussian(new Float64Array(20000).fill(100), 30);
    expect(noisy.every(Number.isInteger)).toBe(true);
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const sd = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    // Mean within 5 standard errors; the discrete Gaussian's variance is sigma^2 to within 1e-10 at sigma 30.
    expect(Math.abs(mean - 100)).toBeLessThan((5 * 30) / Math.sqrt(noisy.length));
    expect(Math.abs(sd - 30)).toBeLessThan((5 * 30) / Math.sqrt(2 * noisy.length));
    // Neighbouring draws are uncorrelated.
    let lag = 0;
    for (let i = 1; i < noisy.length; i++) lag += (noisy[i] - mean) * (noisy[i - 1] - mean);
    expect(Math.abs(lag / (noisy.length - 1) / (sd * sd))).toBeLessThan(5 / Math.sqrt(noisy.length));
    expect(() => addDiscreteGaussian([0.5], 1)).toThrow(/whole number/);
  });
});

describe('the discrete Gaussian threshold of a thresholded release', () => {
  /** P(Z >= m) summed exactly from the pmf (normalised over |y| <= 60 sigma, past which nothing counts). */
  const exactTail = (sigma: number, m: number): number => {
    const reach = Math.ceil(60 * sigma) + m;
    let total = 0;
    let tail = 0;
    for (let y = -reach; y <= reach; y++) {
      const w = Math.exp(-(y * y) / (2 * sigma * sigma));
      total += w;
      if (y >= m) tail += w;
    }
    return tail / total;
  };

  it.each([
    [0.6, 1e-4],
    [1.3, 1e-8],
    [4.2, 1e-7],
    [11.5, 2.5e-9],
    [37, 1e-6],
  ])(
    'at sigma %p and delta %p a count of one clears it with probability at most delta, and it is tight',
    (sigma, delta) => {
      const m = discreteGaussianThreshold(sigma, delta);
      expect(exactTail(sigma, m)).toBeLessThanOrEqual(delta);
      // Not wastefully high: two below, the exact tail is past delta.
      if (m > 2) expect(exactTail(sigma, m - 2)).toBeGreaterThan(delta);
      expect(discreteGaussianTailBound(m, sigma)).toBeGreaterThanOrEqual(exactTail(sigma, m));
    },
  );

  it('is above the continuous quantile where that one lets a count of one through too often', () => {
    // sigma 0.7, delta 1e-8: releasing when 1 + Z > 1 + sigma Phi^-1(1 - delta) lets Z >= 4 through,
    // which the discrete Gaussian does with probability 4.6e-8, 4.6 times delta.
    const [sigma, delta] = [0.7, 1e-8];
    const continuous = Math.floor(sigma * 5.612001) + 1;
    expect(continuous).toBe(4);
    expect(exactTail(sigma, continuous)).toBeGreaterThan(4 * delta);
    expect(discreteGaussianThreshold(sigma, delta)).toBeGreaterThan(continuous);
    expect(exactTail(sigma, discreteGaussianThreshold(sigma, delta))).toBeLessThanOrEqual(delta);
  });
});
