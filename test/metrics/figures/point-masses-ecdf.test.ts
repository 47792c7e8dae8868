/** Issue 28 item 1: what KS measures, drawn: point masses with bars of their own, and the ECDFs with the KS gap. */
import { describe, expect, it } from '@jest/globals';
import { ksStatistic } from '../../../src/metrics/formulas/ks.js';
import { columnDistributions, type NumericDistribution } from '../../../src/metrics/figures/column-distributions.js';
import { ECDF_POINTS, ecdfFigure } from '../../../src/metrics/figures/ecdf.js';
import { pointMasses, POINT_MASS_SHARE } from '../../../src/metrics/figures/point-masses.js';
import { randomValues } from '../../helpers/random.js';
import { numeric, table } from '../../helpers/tables.js';

/** Rain-like values: `zeros` of the rows exactly 0, the rest from `from` up, every 20th missing. */
function rain(n: number, zeros: number, seed: number, from = 0.1): Float64Array {
  const u = randomValues(n, seed);
  return u.map((v, i) => (i % 20 === 0 ? NaN : i / n < zeros ? 0 : from + (v + 3) / 2));
}

const numericDistribution = (real: Float64Array, synthetic: Float64Array, ks = 0.3): NumericDistribution =>
  columnDistributions(table(numeric('precipitation', real)), table(numeric('precipitation', synthetic)), {
    ks: { precipitation: ks },
    tvd: {},
  })[0] as NumericDistribution;

describe('point masses', () => {
  it('gives exact zeros held by more than 5 % of the rows a bar of their own, out of the first bin', () => {
    const [real, synthetic] = [rain(400, 0.5, 1), rain(400, 0.1, 2)];
    const d = numericDistribution(real, synthetic);
    expect(d.point_masses).toHaveLength(1);
    const [zero] = d.point_masses;
    expect(zero.value).toBe(0);
    // Every 20th row is missing, so 0.5 of the rows less the missing ones among them.
    expect(zero.real).toBeCloseTo(real.filter((v) => v === 0).length / 400, 6);
    expect(zero.synthetic).toBeCloseTo(synthetic.filter((v) => v === 0).length / 400, 6);
    // The bins start past the zeros: no bin mixes them with small values.
    expect(d.edges[0]).toBeGreaterThan(0);
    // Bins, point masses and missing hold every row once.
    for (const side of ['real', 'synthetic'] as const) {
      const total = d[side].reduce((a, b) => a + b, 0) + d.point_masses[0][side] + d.missing[side];
      expect(total).toBeCloseTo(1, 5);
    }
  });

  it('names a value a point mass when either table holds it above the share, with both shares', () => {
    const real = Float64Array.from({ length: 100 }, (_, i) => (i < 3 ? 7 : i + 10));
    const synthetic = Float64Array.from({ length: 100 }, (_, i) => (i < 30 ? 7 : i + 0.5));
    expect(POINT_MASS_SHARE).toBe(0.05);
    expect(pointMasses(real, synthetic)).toEqual([{ value: 7, real: 0.03, synthetic: 0.3 }]);
    expect(pointMasses(real, real)).toEqual([]);
    // In a small table every value is over 5 % of the rows: one row is never a point mass.
    expect(pointMasses(Float64Array.of(1.5, 2.5, 3.5), Float64Array.of(1.5, 2.5, 2.5))).toEqual([
      { value: 2.5, real: expect.closeTo(1 / 3, 5), synthetic: expect.closeTo(2 / 3, 5) },
    ]);
  });

  it('leaves a short integer range as it was: its bins already hold one value each', () => {
    const counts = Float64Array.from({ length: 100 }, (_, i) => i % 4);
    const d = numericDistribution(counts, counts);
    expect(d.point_masses).toEqual([]);
    expect(d.edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5]);
  });
});

describe('ECDF', () => {
  it('marks where the two ECDFs are furthest apart: that gap is the KS statistic', () => {
    for (const [real, synthetic] of [
      [rain(500, 0.5, 3), rain(300, 0.1, 4)],
      [randomValues(2000, 5), randomValues(1500, 6).map((v) => v * 1.3 + 0.4)],
    ]) {
      const e = ecdfFigure(real, synthetic)!;
      expect(Math.abs(e.ks.real - e.ks.synthetic)).toBeCloseTo(ksStatistic(real, synthetic)!, 5);
      expect(e.x).toContain(e.ks.at);
      expect(e.x.length).toBeLessThanOrEqual(ECDF_POINTS + 1);
      for (let k = 1; k < e.x.length; k++) {
        expect(e.x[k]).toBeGreaterThan(e.x[k - 1]);
        expect(e.real[k]).toBeGreaterThanOrEqual(e.real[k - 1]);
        expect(e.synthetic[k]).toBeGreaterThanOrEqual(e.synthetic[k - 1]);
      }
      expect([e.real.at(-1), e.synthetic.at(-1)]).toEqual([1, 1]);
    }
  });

  it('shows the jump of a point mass at its value, and is carried by the column distribution', () => {
    const d = numericDistribution(rain(400, 0.5, 7), rain(400, 0.1, 8));
    const e = d.ecdf!;
    expect(e.x[0]).toBe(0);
    expect(e.real[0]).toBeCloseTo(0.5, 1);
    expect(e.synthetic[0]).toBeCloseTo(0.1, 1);
    expect(Math.abs(e.ks.real - e.ks.synthetic)).toBeGreaterThanOrEqual(e.real[0] - e.synthetic[0]);
  });

  it('has no curve when a table has no value', () => {
    expect(ecdfFigure(Float64Array.of(NaN, NaN), Float64Array.of(1, 2))).toBeNull();
  });
});
