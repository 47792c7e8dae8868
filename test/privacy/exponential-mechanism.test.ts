import { describe, expect, it } from '@jest/globals';
import { exponentialMechanism } from '../../src/privacy/exponential-mechanism.js';
import { goodnessOfFit, mergeRareCells } from '../helpers/statistics.js';

const STRICT = 1e-6;

describe('exponential mechanism (exact, by rejection)', () => {
  it.each([
    [[0, 1, 2, 3, 4], 1, 1],
    [[10, 10.5, -3, 7, 9.9], 2, 0.5],
    [[-1000, 0, 0.25, -2.5], 0.7, 1.3],
  ])(
    'picks candidates of scores %j with epsilon %p, sensitivity %p in proportion to exp(epsilon q / (2 s))',
    (scores, epsilon, sensitivity) => {
      const n = 30000;
      const observed = scores.map(() => 0);
      for (let i = 0; i < n; i++) observed[exponentialMechanism(scores, epsilon, sensitivity)]++;
      const weights = scores.map((q) => Math.exp((epsilon * q) / (2 * sensitivity)));
      const z = weights.reduce((a, b) => a + b, 0);
      const p = weights.map((w) => w / z);
      const cells = mergeRareCells(observed, p, n);
      expect(goodnessOfFit(cells.observed, cells.probabilities)).toBeGreaterThan(STRICT);
    },
  );

  it('refuses no candidates, a non-finite score or a non-positive epsilon', () => {
    expect(() => exponentialMechanism([], 1, 1)).toThrow(/at least one candidate/);
    expect(() => exponentialMechanism([1, NaN], 1, 1)).toThrow(/not finite/);
    expect(() => exponentialMechanism([1, 2], 0, 1)).toThrow(/epsilon/);
  });
});
