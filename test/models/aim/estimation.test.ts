import { describe, expect, it } from '@jest/globals';
import { estimateTotal, mirrorDescent } from '../../../src/models/aim/estimation.js';
import { GraphicalModel } from '../../../src/models/aim/graphical-model.js';
import { joint, marginalOf, randomPotentials } from './brute-force.js';

const SIZES = [2, 3, 2, 3];
const N = 5000;

describe('Private-PGM estimation (mirror descent)', () => {
  it('fits exact loop marginals of a joint: the fitted model, enumerated, reproduces every measured marginal', () => {
    // A joint with a 4-cycle and a chord's worth of dependence: its loop marginals are consistent.
    const truth = joint(
      SIZES,
      randomPotentials(
        SIZES,
        [
          [0, 1],
          [1, 2],
          [2, 3],
          [0, 3],
          [0, 2],
        ],
        11,
      ),
    );
    const cliques = [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 3],
    ];
    const measurements = cliques.map((clique) => ({
      clique,
      values: Float64Array.from(marginalOf(SIZES, truth, clique, N)),
      sigma: 1,
    }));
    const fitted = mirrorDescent(SIZES, measurements, { iterations: 3000, total: N });
    const p = joint(SIZES, fitted.potentials);
    for (const m of measurements) {
      const reproduced = marginalOf(SIZES, p, m.clique, N);
      reproduced.forEach((v, i) => expect(Math.abs(v - m.values[i])).toBeLessThan(0.5));
    }
    // And belief propagation on the fitted potentials agrees with the enumeration.
    const model = new GraphicalModel(SIZES, fitted.potentials, N);
    marginalOf(SIZES, p, [1, 3], N).forEach((v, i) =>
      expect(Math.abs(model.marginal([1, 3])[i] - v)).toBeLessThan(1e-6),
    );
  });

  it('weighs measurements by 1 / sigma^2: two conflicting ones settle at their precision-weighted mean', () => {
    const measurements = [
      { clique: [0], values: Float64Array.from([600, 400]), sigma: 1 },
      { clique: [0], values: Float64Array.from([400, 600]), sigma: 2 },
    ];
    const fitted = mirrorDescent([2], measurements, { iterations: 2000, total: 1000 });
    const mu = new GraphicalModel([2], fitted.potentials, 1000).marginal([0]);
    // (600 / 1 + 400 / 4) / (1 + 1/4) = 560
    expect(mu[0]).toBeCloseTo(560, 0);
  });

  it('estimates the row count as the minimum-variance combination of the measurements', () => {
    const total = estimateTotal([
      { clique: [0], values: Float64Array.from([510, 500]), sigma: 1 },
      { clique: [0, 1], values: Float64Array.from([250, 250, 250, 230]), sigma: 2 },
    ]);
    // Sums 1010 (variance 1 x 2) and 980 (variance 4 x 4): weights 1/2 and 1/16.
    expect(total).toBeCloseTo((1010 / 2 + 980 / 16) / (1 / 2 + 1 / 16), 9);
  });

  it('keeps its potentials and step when warm-started with no iterations', () => {
    const measurements = [{ clique: [0, 1], values: Float64Array.from([100, 200, 300, 50, 150, 200]), sigma: 3 }];
    const first = mirrorDescent(SIZES.slice(0, 2), measurements, { iterations: 200, total: 1000 });
    const again = mirrorDescent(SIZES.slice(0, 2), measurements, { iterations: 0, total: 1000, warm: first });
    expect(Array.from(again.potentials[0].values)).toEqual(Array.from(first.potentials[0].values));
    expect(again.step).toBe(first.step);
  });
});
