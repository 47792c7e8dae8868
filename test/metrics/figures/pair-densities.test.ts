/** Issue 28 item 2: the top pairs behind corr_delta drawn as joint shares, real beside synthetic. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { useBackend } from '../../../src/core/backend.js';
import { evaluateTables } from '../../../src/metrics/evaluate.js';
import { buildFigures } from '../../../src/metrics/figures/figures.js';
import { PAIR_BINS, PAIR_CATEGORIES, PAIR_PLOTS, pairDensities } from '../../../src/metrics/figures/pair-densities.js';
import { DEFAULT_THRESHOLDS } from '../../../src/metrics/thresholds.js';
import { randomCodes, randomValues } from '../../helpers/random.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

const n = 400;
const x = randomValues(n, 1);
const levels = Array.from({ length: PAIR_CATEGORIES + 3 }, (_, k) => `c${k}`);
const real = table(
  numeric('x', x),
  numeric(
    'y',
    x.map((v, i) => v + 0.05 * randomValues(n, 2)[i]),
  ),
  categorical('c', randomCodes(n, levels.length, 3), levels),
  categorical('d', randomCodes(n, 3, 4), ['p', 'q', 'r']),
);
// The synthetic rows lose x-y's relationship.
const synthetic = table(
  numeric('x', x),
  numeric('y', randomValues(n, 5)),
  categorical('c', randomCodes(n, levels.length, 6), levels),
  categorical('d', randomCodes(n, 3, 7), ['p', 'q', 'r']),
);
const sum = (cells: number[][]) => cells.flat().reduce((a, b) => a + b, 0);

describe('pair densities', () => {
  it('bins a numeric pair on shared edges: the real rows on the diagonal, the synthetic ones spread', () => {
    const [p] = pairDensities(real, synthetic, [
      { columns: ['x', 'y'], measure: 'pearson', real: 1, synthetic: 0, difference: 1, share_of_corr_delta: 1 },
    ]);
    expect(p.x).toMatchObject({ column: 'x', kind: 'numeric' });
    expect(p.real).toHaveLength(PAIR_BINS);
    expect(p.real[0]).toHaveLength(PAIR_BINS);
    expect(sum(p.real)).toBeCloseTo(1, 5);
    expect(sum(p.synthetic)).toBeCloseTo(1, 5);
    const diagonal = (cells: number[][]) => cells.reduce((s, column, i) => s + column[i], 0);
    expect(diagonal(p.real)).toBeGreaterThan(0.8);
    expect(diagonal(p.synthetic)).toBeLessThan(0.4);
  });

  it('gives categorical pairs a contingency table, the rarest categories summed as other', () => {
    const [p] = pairDensities(real, synthetic, [
      { columns: ['c', 'd'], measure: 'cramers_v', real: 0.1, synthetic: 0.1, difference: 0, share_of_corr_delta: 0 },
    ]);
    expect(p.x).toMatchObject({ kind: 'categorical', other: 3 });
    expect(p.x.kind === 'categorical' && p.x.categories).toHaveLength(PAIR_CATEGORIES);
    expect(p.real).toHaveLength(PAIR_CATEGORIES + 1);
    expect(p.y).toMatchObject({ kind: 'categorical', categories: expect.arrayContaining(['p', 'q', 'r']), other: 0 });
    expect(sum(p.real)).toBeCloseTo(1, 5);
  });

  describe('in the figures of an evaluation', () => {
    beforeAll(async () => {
      await useBackend('auto');
    });

    it('draws the first of the top pairs, the lost relationship first', async () => {
      const evaluation = await evaluateTables(real, synthetic, undefined, {
        thresholds: DEFAULT_THRESHOLDS,
        backend: 'wasm',
        seed: 0,
      });
      const figures = await buildFigures(evaluation, { real, synthetic }, { seed: 0 });
      expect(figures.pair_densities.length).toBe(Math.min(PAIR_PLOTS, figures.associations!.top_pairs.length));
      expect(figures.pair_densities[0].columns).toEqual(['x', 'y']);
      // Cells, never rows: a few hundred numbers at most.
      expect(JSON.stringify(figures.pair_densities).length).toBeLessThan(20_000);
    });
  });
});
