import { describe, expect, it } from '@jest/globals';
import { bucketCounts, chiSquareSurvival, dpViolations, goodnessOfFit, homogeneity } from '../helpers/statistics.js';

// The checks the mechanism tests rely on, against closed forms and published tables.
describe('chiSquareSurvival', () => {
  it('matches the closed forms for 2 and 4 degrees of freedom far into the tail', () => {
    for (const x of [0.5, 3, 27.631, 60]) {
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
      expect(chiSquareSurvival(x, 4) / (Math.exp(-x / 2) * (1 + x / 2))).toBeCloseTo(1, 10);
    }
  });

  it('matches tabulated critical values', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(23.9281, 1) / 1e-6).toBeCloseTo(1, 3);
    expect(chiSquareSurvival(29.5883, 10) / 0.001).toBeCloseTo(1, 3);
    expect(chiSquareSurvival(43.773, 30)).toBeCloseTo(0.05, 4);
  });
});

describe('goodnessOfFit and homogeneity', () => {
  it('accept counts at their expectation and reject counts far from it', () => {
    expect(goodnessOfFit([250, 250, 500], [0.25, 0.25, 0.5])).toBeCloseTo(1, 12);
    expect(goodnessOfFit([350, 150, 500], [0.25, 0.25, 0.5])).toBeLessThan(1e-6);
    expect(homogeneity([10, 20, 30], [20, 40, 60])).toBeCloseTo(1, 12);
    expect(homogeneity([100, 200, 300], [300, 200, 100])).toBeLessThan(1e-6);
  });
});

describe('bucketCounts', () => {
  it('counts [edge_i-1, edge_i) with open ends', () => {
    expect(bucketCounts([-5, 0, 0.5, 1, 1, 7], [0, 1, 2])).toEqual([1, 2, 2, 1]);
  });
});

describe('dpViolations', () => {
  it('passes counts whose ratio is e^eps and flags a ratio well above it', () => {
    const e = Math.exp(1);
    expect(dpViolations([Math.round(10000 * e), 10000], [10000, Math.round(10000 * e)], 1)).toEqual([]);
    expect(dpViolations([4 * 10000, 10000], [10000, 10000], 1)).toEqual([0]);
  });
});
