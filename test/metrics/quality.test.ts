/**
 * The quality score (SPEC section 5) against values worked out by hand from SDMetrics' definitions:
 * column shapes 1 - KS / 1 - TVD, pair trends 1 - |r_R - r_S| / 2 or 1 - TVD of the joint shares.
 */
import { describe, expect, it } from '@jest/globals';
import { evaluateTables } from '../../src/metrics/evaluate.js';
import { pairTrend, qualityScore } from '../../src/metrics/quality.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const none = { ks: {}, tvd: {} };

describe('the quality score', () => {
  it('averages 1 - KS and 1 - TVD over the columns for the column shapes', () => {
    const real = table(numeric('x', [1, 2]), categorical('c', [0, 1], ['a', 'b']));
    const q = qualityScore(real, real, { ks: { x: 0.2 }, tvd: { c: 0.4 } });
    // Shapes (0.8 + 0.6) / 2 = 70; the one pair is identical in both tables: trends 100; score (70 + 100) / 2.
    expect(q).toEqual({ score: 85, column_shapes: 70, column_pair_trends: 100, pairs: 1 });
  });

  it('scores a numeric pair 1 - |r_real - r_synthetic| / 2: a reversed correlation scores 0', () => {
    const real = [numeric('x', [1, 2, 3, 4]), numeric('y', [1, 2, 3, 4])] as const;
    const synthetic = [numeric('x', [1, 2, 3, 4]), numeric('y', [4, 3, 2, 1])] as const;
    expect(pairTrend(real, synthetic)).toBeCloseTo(0, 12);
    // r = 1 against r = 0.8: 1 - 0.2 / 2.
    const weaker = [numeric('x', [1, 2, 3, 4]), numeric('y', [1, 3, 2, 4])] as const;
    expect(pairTrend(real, weaker)).toBeCloseTo(0.9, 12);
  });

  it('scores a categorical pair 1 - TVD of the joint shares', () => {
    const levels = ['p', 'q'];
    const other = ['u', 'v'];
    const real = [categorical('a', [0, 0, 1, 1], levels), categorical('b', [0, 1, 0, 1], other)] as const;
    const synthetic = [categorical('a', [0, 0, 1, 1], levels), categorical('b', [0, 0, 1, 1], other)] as const;
    // Real: a quarter in each cell; synthetic: half in (p, u), half in (q, v). TVD = (4 x 0.25) / 2 = 0.5.
    expect(pairTrend(real, synthetic)).toBeCloseTo(0.5, 12);
  });

  it('bins a numeric column of a mixed pair over the real range, clips synthetic values into the end bins, and keeps missing apart', () => {
    const levels = ['a', 'b'];
    const real = [numeric('x', [0, 9]), categorical('c', [0, 1], levels)] as const;
    expect(pairTrend(real, [numeric('x', [-5, 100]), categorical('c', [0, 1], levels)])).toBeCloseTo(1, 12);
    // 4 falls in bin 4 (bins 0.9 wide over [0, 9]), not in 9's bin: half the rows change cell.
    expect(pairTrend(real, [numeric('x', [0, 4]), categorical('c', [0, 1], levels)])).toBeCloseTo(0.5, 12);
    // A missing value is a cell of its own, not the first bin.
    expect(pairTrend(real, [numeric('x', [NaN, 9]), categorical('c', [0, 1], levels)])).toBeCloseTo(0.5, 12);
    expect(
      pairTrend(
        [numeric('x', [0, 9]), categorical('c', [-1, 1], levels)],
        [numeric('x', [0, 9]), categorical('c', [0, 1], levels)],
      ),
    ).toBeCloseTo(0.5, 12);
  });

  it('is the column shapes alone for one column, and null when no column was measured', () => {
    const one = table(numeric('x', [1, 2, 3]));
    expect(qualityScore(one, one, { ks: { x: 0.25 }, tvd: {} })).toEqual({
      score: 75,
      column_shapes: 75,
      column_pair_trends: null,
      pairs: 0,
    });
    expect(qualityScore(one, one, none)).toBeNull();
  });

  it('is in every evaluation: 100 for a table judged against itself, lower for a shuffled column', async () => {
    const x = Array.from({ length: 200 }, (_, i) => i);
    const real = table(
      numeric('x', x),
      numeric(
        'y',
        x.map((v) => 2 * v + 1),
      ),
    );
    const options = { thresholds: {}, backend: 'cpu' as const };
    const same = await evaluateTables(real, real, undefined, options);
    expect(same.quality).toEqual({ score: 100, column_shapes: 100, column_pair_trends: 100, pairs: 1 });
    // y reversed: the same marginals (shapes 100), the opposite correlation (trends 0).
    const reversed = table(
      numeric('x', x),
      numeric(
        'y',
        x.map((v) => 2 * (199 - v) + 1),
      ),
    );
    const judged = await evaluateTables(real, reversed, undefined, options);
    expect(judged.quality).toEqual({ score: 50, column_shapes: 100, column_pair_trends: 0, pairs: 1 });
  });
});
