import { describe, expect, it } from '@jest/globals';
import { normalCdf, normalPpf } from '../../../src/core/stats/normal.js';
import {
  NORMAL_LIMIT,
  fitQuantiles,
  fromNormal,
  quantileCount,
  toNormal,
} from '../../../src/models/transformers/quantile-normal.js';

describe('normal distribution', () => {
  it('matches published quantiles of N(0, 1)', () => {
    // Reference values: scipy.stats.norm.ppf / R qnorm.
    expect(normalPpf(0.5)).toBe(0);
    expect(normalPpf(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalPpf(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalPpf(0.999)).toBeCloseTo(3.090232306167813, 12);
    expect(normalPpf(1e-7)).toBeCloseTo(-5.199337582192817, 10);
  });

  it('has a CDF that inverts the quantile function', () => {
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.8, 0.999]) expect(normalCdf(normalPpf(p))).toBeCloseTo(p, 6);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 6);
  });
});

describe('quantile-normal transform', () => {
  it('uses max(min(n / 30, 1000), 10) quantiles', () => {
    expect(quantileCount(100)).toBe(10);
    expect(quantileCount(3000)).toBe(100);
    expect(quantileCount(100000)).toBe(1000);
    expect(quantileCount(4)).toBe(4);
  });

  it('maps a uniform sample onto standard-normal scores and back', () => {
    const values = Array.from({ length: 3001 }, (_, i) => i / 3000);
    const map = fitQuantiles(values);
    expect(toNormal(map, 0.5)).toBeCloseTo(0, 6);
    expect(toNormal(map, 0.975)).toBeCloseTo(1.96, 2);
    for (const v of [0.013, 0.2, 0.77]) expect(fromNormal(map, toNormal(map, v))).toBeCloseTo(v, 6);
  });

  it('sends a point mass to the middle of its quantile run, and everything in the run back to it', () => {
    const values = [...Array(900).fill(0), ...Array.from({ length: 100 }, (_, i) => 1 + i)];
    const map = fitQuantiles(values);
    const z = toNormal(map, 0);
    // 33 quantiles, the first 29 of them 0: the middle of that run is 14/32.
    expect(normalCdf(z)).toBeCloseTo(14 / 32, 6);
    for (const p of [0.01, 0.3, 0.85]) expect(fromNormal(map, normalPpf(p))).toBe(0);
  });

  it('clips to the normal range and skips missing values', () => {
    const map = fitQuantiles([1, 2, NaN, 3, 4]);
    expect(toNormal(map, -100)).toBeCloseTo(-NORMAL_LIMIT, 10);
    expect(toNormal(map, 100)).toBeCloseTo(NORMAL_LIMIT, 8);
    expect(fromNormal(map, 40)).toBe(4);
    expect(fromNormal(map, -40)).toBe(1);
  });
});
