import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { GraphicalModel } from '../../../src/models/aim/graphical-model.js';
import { roundCounts, sampleCodes } from '../../../src/models/aim/sample.js';
import { goodnessOfFit, mergeRareCells } from '../../helpers/statistics.js';
import { cellOf, joint, randomPotentials } from './brute-force.js';

const SIZES = [2, 3, 2, 3, 2];
const CLIQUES = [
  [0, 1],
  [1, 2],
  [2, 3],
  [0, 3],
  [3, 4],
];
const ALL = SIZES.map((_, a) => a);

/** Counts of each full assignment in sampled codes. */
function tally(codes: Int32Array[], rows: number): number[] {
  const out = new Array<number>(SIZES.reduce((a, b) => a * b, 1)).fill(0);
  for (let r = 0; r < rows; r++)
    out[
      cellOf(
        SIZES,
        ALL,
        codes.map((c) => c[r]),
      )
    ]++;
  return out;
}

describe('sampling from the junction tree', () => {
  it.each([4, 9])('draws rows whose joint matches the model by enumeration (seed %i, chi-square)', (seed) => {
    const potentials = randomPotentials(SIZES, CLIQUES, seed);
    const model = new GraphicalModel(SIZES, potentials, 1);
    const rows = 20000;
    const codes = sampleCodes(model.tree, model.maps, model.marginals().marginals, rows, createRng(seed));
    const cells = mergeRareCells(tally(codes, rows), joint(SIZES, potentials), rows);
    expect(goodnessOfFit(cells.observed, cells.probabilities)).toBeGreaterThan(1e-6);
  });

  it('conditions exactly by clamped evidence: every row holds it, the rest follow the conditional', () => {
    const potentials = randomPotentials(SIZES, CLIQUES, 21);
    const model = new GraphicalModel(SIZES, potentials, 1);
    const evidence = { clique: [1], values: Float64Array.from([-Infinity, -Infinity, 0]) };
    const rows = 20000;
    const codes = sampleCodes(model.tree, model.maps, model.conditioned([evidence]).marginals, rows, createRng(2));
    expect(codes[1].every((v) => v === 2)).toBe(true);
    const cells = mergeRareCells(tally(codes, rows), joint(SIZES, [...potentials, evidence]), rows);
    expect(goodnessOfFit(cells.observed, cells.probabilities)).toBeGreaterThan(1e-6);
  });

  it('rounds counts to the rows asked for: floors, then the remainder by fractional parts, never a zero weight', () => {
    const rng = createRng(1);
    for (let trial = 0; trial < 200; trial++) {
      const weights = Array.from({ length: 1 + rng.int(8) }, () => (rng.next() < 0.3 ? 0 : rng.next()));
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const total = rng.int(50);
      const counts = roundCounts(weights, total, rng);
      const sum = weights.reduce((a, b) => a + b, 0);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      counts.forEach((c, i) => {
        const exact = (weights[i] * total) / sum;
        expect(c).toBeGreaterThanOrEqual(Math.floor(exact));
        expect(c).toBeLessThanOrEqual(Math.ceil(exact));
        if (weights[i] === 0) expect(c).toBe(0);
      });
    }
  });

  it('follows the seed: the same seed gives the same rows', () => {
    const model = new GraphicalModel(SIZES, randomPotentials(SIZES, CLIQUES, 3), 1);
    const draw = (seed: number) =>
      sampleCodes(model.tree, model.maps, model.marginals().marginals, 500, createRng(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});
