import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { planBudget } from '../../src/models/aim/budget.js';
import { planPrivacy, type PrivacyRequest } from '../../src/pipeline/privacy-plan.js';
import { busiestWindow, dpDateCover, dpNumericCover } from '../../src/privacy/preprocessing/dp-quantiles.js';
import { gaussianCategories, PLACEHOLDER_LEVEL } from '../../src/privacy/preprocessing/preprocess.js';
import { discreteGaussianThreshold } from '../../src/privacy/discrete-gaussian.js';
import { categorical, numeric, table } from '../helpers/tables.js';

/** Binomial count within z standard deviations of n p. */
function expectBinomial(count: number, n: number, p: number, z = 5): void {
  expect(Math.abs(count - n * p)).toBeLessThanOrEqual(z * Math.sqrt(n * p * (1 - p)) + 1);
}

/** P(Z >= m) for Z ~ N_Z(0, sigma^2), by summing the mass function directly (independent of the tail bound). */
function discreteGaussianTail(m: number, sigma: number): number {
  const span = Math.ceil(40 * sigma) + 10;
  let total = 0;
  let tail = 0;
  for (let k = -span; k <= span; k++) {
    const p = Math.exp(-(k * k) / (2 * sigma * sigma));
    total += p;
    if (k >= m) tail += p;
  }
  return tail / total;
}

/**
 * delta of rho-zCDP at epsilon by Canonne, Kamath and Steinke 2020 (Proposition 12), minimised over a
 * grid of alpha: written here from the paper, not from src/privacy/zcdp.ts, so the charge is checked
 * against an independent computation. A grid minimum can only overstate delta.
 */
function cksDelta(rho: number, epsilon: number): number {
  let best = 1;
  for (let alpha = 1.001; alpha < 2000; alpha *= 1.0005) {
    const log = (alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha) - Math.log(alpha - 1);
    best = Math.min(best, Math.exp(log));
  }
  return best;
}

describe('gaussianCategories (the thresholded discrete Gaussian level release)', () => {
  it('releases a level held by one row with probability P(Z >= m) <= delta, m its threshold', () => {
    const [epsilon, delta, trials] = [0.5, 0.05, 20000];
    const sigma = 1 / epsilon;
    const m = discreteGaussianThreshold(sigma, delta);
    const exact = discreteGaussianTail(m, sigma);
    expect(exact).toBeLessThanOrEqual(delta);
    const column = categorical('c', [0], ['rare']);
    let released = 0;
    for (let t = 0; t < trials; t++) released += gaussianCategories('c', column, epsilon, delta).levels.length - 1;
    expectBinomial(released, trials, exact);
  });

  it('releases a frequent level nearly always, with its count plus noise of variance 1/epsilon^2', () => {
    const [epsilon, delta, trials] = [0.1, 1e-6, 3000];
    const column = categorical('c', new Array<number>(2000).fill(0), ['common']);
    const noise: number[] = [];
    for (let t = 0; t < trials; t++) {
      const stats = gaussianCategories('c', column, epsilon, delta);
      expect(stats.levels).toEqual(['common', PLACEHOLDER_LEVEL]);
      noise.push(stats.counts![0] - 2000);
    }
    const mean = noise.reduce((s, x) => s + x, 0) / trials;
    const variance = noise.reduce((s, x) => s + (x - mean) ** 2, 0) / (trials - 1);
    // sigma 10: the mean within 5 standard errors of 0, the variance within 5 of its standard errors (sqrt(2/n) 100).
    expect(Math.abs(mean)).toBeLessThan((5 * 10) / Math.sqrt(trials));
    expect(Math.abs(variance - 100)).toBeLessThan(5 * 100 * Math.sqrt(2 / trials));
  });
});

describe('dpNumericCover (bounds that cover a column for a method that bins it itself)', () => {
  it('widens the powers of two that hold the values by one on each side', async () => {
    const rng = createRng(3);
    const values = Array.from({ length: 4000 }, () => 100 + 800 * rng.next());
    // At epsilon 5 every bucket of [64, 1024) holds hundreds of rows, far above ln(146 / 2e-4) / 5 = 2.7.
    const estimate = await dpNumericCover(values, 5);
    expect([estimate.min, estimate.max]).toEqual([32, 2048]);
    expect(estimate.quantiles[0]).toBe(32);
    expect(estimate.quantiles[estimate.quantiles.length - 1]).toBe(2048);
  });
});

describe('dpNumericCover where no power of two clears its threshold', () => {
  it('covers most rows of a column spread thin over several powers of two (the busiest window, not bucket)', async () => {
    // 800 values log-uniform over 2^8 .. 2^14 (about 130 a power of two) at epsilon 0.02: Laplace
    // scale 50, threshold ln(146 / 2e-4) / 0.02 = 675, so no bucket clears. The busiest single
    // bucket is then often one of the 140 empty ones (their noise reaches about 50 ln(140) = 250).
    const rng = createRng(11);
    const values = Array.from({ length: 800 }, () => 2 ** (8 + 6 * rng.next()));
    let covering = 0;
    const runs = 40;
    for (let run = 0; run < runs; run++) {
      const { min, max } = await dpNumericCover(values, 0.02);
      const inside = values.filter((v) => v >= min && v <= max).length;
      if (inside >= 0.8 * values.length) covering++;
    }
    expect(covering).toBeGreaterThanOrEqual(0.8 * runs);
  });

  it('reads the window off the noisy counts: the largest sum of consecutive buckets', () => {
    const histogram = { edges: [0, 1, 2, 3, 4, 5], noisy: [5, -1, 3, 3, -2], range: undefined };
    expect(busiestWindow(histogram, 2)).toEqual([2, 4]);
    expect(busiestWindow(histogram, 3)).toEqual([0, 3]);
    expect(busiestWindow(histogram, 9)).toEqual([0, 5]);
  });
});

describe('dpDateCover (date bounds that cover a column for a method that bins it itself)', () => {
  it('widens the decades that hold the dates by one on each side, within the public window', async () => {
    const rng = createRng(4);
    const [from, to] = [Date.UTC(2012, 0, 1) / 1000, Date.UTC(2016, 0, 1) / 1000];
    const dates = Array.from({ length: 1500 }, () => from + Math.floor(((to - from) * rng.next()) / 86400) * 86400);
    // 1,500 rows in the 2010s clear ln(21 / 2e-4) / 1 = 11.6 at epsilon 1; the other decades hold none.
    const estimate = await dpDateCover(dates, 1);
    expect([estimate.min, estimate.max]).toEqual([Date.UTC(2000, 0, 1) / 1000, Date.UTC(2030, 0, 1) / 1000]);
    const edge = await dpDateCover(
      Array.from({ length: 1500 }, () => Date.UTC(1905, 5, 1) / 1000),
      1,
    );
    expect([edge.min, edge.max]).toEqual([Date.UTC(1900, 0, 1) / 1000, Date.UTC(1920, 0, 1) / 1000]);
  });
});

describe('planPrivacy for a method accounted in zCDP', () => {
  const rng = createRng(7);
  const rows = 4000;
  const train = table(
    numeric(
      'x',
      Array.from({ length: rows }, () => Math.round(1000 + 5000 * rng.next())),
    ),
    categorical(
      'c',
      Array.from({ length: rows }, () => Math.floor(rng.next() * 3)),
      ['a', 'b', 'c'],
    ),
    numeric(
      'y',
      Array.from({ length: rows }, () => rng.next()),
    ),
  );
  const request: PrivacyRequest = {
    epsilon: 1,
    totalEpsilon: 1,
    delta: 1e-6,
    maxGradNorm: 1,
    preprocessingFraction: 0.2,
  };
  const shape = { firstEpsilon: 1, attempts: 1, holdoutFraction: 0.2, readsQuantiles: false, zcdp: true };

  it('charges the row count in epsilon and every other release e^2/2, and leaves the training the rest of the attempt', async () => {
    const budget = await planPrivacy({ train, table: train }, undefined, request, shape);
    const prior = budget.zcdpPrior!;
    expect(prior).toBeDefined();
    // The noisy count sets delta, so it is charged in epsilon outside the zCDP account.
    const [count, ...releases] = budget.preprocessing.estimated;
    expect(count.column).toBe('(rows)');
    // The independent sum: every other release's epsilon squared over two.
    const rho = releases.reduce((s, e) => s + (e.epsilon * e.epsilon) / 2, 0);
    expect(prior.rho).toBeCloseTo(rho, 15);
    // Preprocessing's epsilon is the count's and its share of the account's.
    expect(budget.preprocessing.epsilon).toBeCloseTo(count.epsilon + prior.epsilon, 15);
    // Profile and release of a column compose in squares: each column costs the same rho.
    const perColumn = new Map<string, number>();
    for (const e of budget.preprocessing.estimated)
      if (e.column !== '(rows)') perColumn.set(e.column, (perColumn.get(e.column) ?? 0) + e.epsilon ** 2 / 2);
    const costs = [...perColumn.values()];
    for (const c of costs) expect(c).toBeCloseTo(costs[0], 12);
    // The training at epsilon - share, with the prior, spends the attempt's rho less the prior's.
    const training = planBudget(1 - budget.preprocessing.epsilon, budget.trainingDelta, 2, prior);
    const conversionDelta = budget.trainingDelta - training.thresholdDelta;
    // The account (preprocessing but the count, and training) is (1 - count, conversionDelta)-DP by
    // the CKS conversion, so with the count's epsilon the attempt is (1, conversionDelta)-DP...
    const account = 1 - count.epsilon;
    expect(cksDelta(prior.rho + training.rho, account)).toBeLessThanOrEqual(conversionDelta * (1 + 1e-6));
    // ...and spends it: a little more rho would not be (the budget is not left unused).
    expect(cksDelta((prior.rho + training.rho) * 1.01, account)).toBeGreaterThan(conversionDelta);
    // Preprocessing spends about its fraction of the attempt's rho.
    expect(prior.rho / (prior.rho + training.rho)).toBeGreaterThan(0.15);
    expect(prior.rho / (prior.rho + training.rho)).toBeLessThan(0.25);
    // Its share in epsilon is the attempt's less what the training's rho alone converts to.
    expect(cksDelta(training.rho, 1 - budget.preprocessing.epsilon)).toBeLessThanOrEqual(budget.trainingDelta * 1.01);
  });

  it('keeps linear composition (epsilon shares) for several attempts, and without a zCDP method', async () => {
    const several = await planPrivacy({ train, table: train }, undefined, request, { ...shape, attempts: 2 });
    const dpSgd = await planPrivacy({ train, table: train }, undefined, request, { ...shape, zcdp: false });
    for (const budget of [several, dpSgd]) {
      expect(budget.zcdpPrior).toBeUndefined();
      expect(budget.preprocessing.epsilon).toBeCloseTo(0.2, 12);
      const sum = budget.preprocessing.estimated.reduce((s, e) => s + e.epsilon, 0);
      expect(sum).toBeCloseTo(0.2, 12);
    }
  });

  it('spends on the row count at most its linear share and about what one more release would cost, even for one column', async () => {
    const one = table(train.columns[0]);
    const budget = await planPrivacy({ train: one, table: one }, undefined, request, shape);
    const [count, ...columns] = budget.preprocessing.estimated;
    expect(count.column).toBe('(rows)');
    expect(count.epsilon).toBeLessThanOrEqual(0.2 / 2);
    const rho = budget.zcdpPrior!.rho;
    // Sized as half of preprocessing's rho (planned at the given total delta), charged in epsilon beside it.
    expect(count.epsilon ** 2 / 2 / rho).toBeGreaterThan(0.4);
    expect(count.epsilon ** 2 / 2 / rho).toBeLessThan(0.6);
    expect(columns.reduce((s, e) => s + e.epsilon ** 2 / 2, 0)).toBeCloseTo(rho, 15);
  });

  it('refuses a training whose prior spent the whole attempt', () => {
    expect(() => planBudget(0.01, 1e-6, 0, { rho: 1, epsilon: 0.99 })).toThrow(/preprocessing spent rho/);
  });
});
