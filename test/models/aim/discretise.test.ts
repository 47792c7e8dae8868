import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import type { NumericColumn } from '../../../src/core/table.js';
import { planBudget } from '../../../src/models/aim/budget.js';
import { binCount, fineGrid, type NumericCoder } from '../../../src/models/aim/discretise/coder.js';
import { decodeColumn } from '../../../src/models/aim/discretise/decode.js';
import { discretise } from '../../../src/models/aim/discretise/discretise.js';
import { numericBin } from '../../../src/models/aim/discretise/encode.js';
import { supportedBins } from '../../../src/models/aim/discretise/numeric-coder.js';
import { quantileCuts } from '../../../src/models/aim/discretise/range-bins.js';
import { exactMechanisms, secureMechanisms } from '../../../src/models/aim/mechanisms.js';
import { mixedStatistics, mixedTable } from './fixture.js';

/** The two-sample KS statistic, from its definition. */
function ks(a: Float64Array, b: Float64Array): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('AIM discretisation', () => {
  const table = mixedTable(4000, 1);
  const exact = discretise(table, { bins: 16, mechanisms: exactMechanisms });
  const coder = (name: string) => exact.coders.find((c) => c.name === name) as NumericCoder;

  it('gives a whole-number column with no more values than bins one bin per value, and a point mass its own bin', () => {
    expect(coder('grade').points).toEqual([1, 2, 3, 4, 5]);
    expect(coder('grade').cuts).toBeNull();
    expect(coder('amount').points).toContain(0);
    expect(binCount(coder('age'))).toBeLessThanOrEqual(16);
  });

  it('cuts range bins of similar mass', () => {
    const age = exact.codes[3];
    const counts = new Array<number>(exact.sizes[3]).fill(0);
    for (const b of age) counts[b]++;
    // Whole-number ages cannot split: each bin within a factor of the even share.
    for (const c of counts) expect(c).toBeGreaterThan(4000 / 16 / 3);
  });

  it('decodes exactly: a point bin is its value, a range bin a value of the step grid inside it', () => {
    const rng = createRng(3);
    for (const j of [2, 3, 4]) {
      const c = exact.coders[j] as NumericCoder;
      const decoded = decodeColumn(c, { name: c.name, kind: 'numeric' }, exact.codes[j], rng) as NumericColumn;
      const original = (table.columns[j] as NumericColumn).values;
      decoded.values.forEach((v, r) => {
        expect(numericBin(c, v)).toBe(exact.codes[j][r]);
        expect(v).toBeGreaterThanOrEqual(c.min);
        expect(v).toBeLessThanOrEqual(c.max);
        if (c.step > 0) expect(Math.abs(v / c.step - Math.round(v / c.step))).toBeLessThan(1e-6);
      });
      // The decode floor: train -> bins -> decode keeps each column's distribution, up to the
      // shape inside one leaf (amount piles up at 100.0-100.7 inside its leaf 100-104: KS 0.029).
      expect(ks(original, decoded.values)).toBeLessThan(0.04);
    }
    const amount = decodeColumn(coder('amount'), { name: 'amount', kind: 'numeric' }, exact.codes[4], rng);
    const zeros = (amount as NumericColumn).values.filter((v) => v === 0).length;
    expect(zeros).toBe((table.columns[4] as NumericColumn).values.filter((v) => v === 0).length);
  });

  it('gives a missing value a bin of its own that decodes as missing', () => {
    const c = { ...coder('amount'), missing: true };
    const bin = numericBin(c, NaN);
    expect(bin).toBe(binCount(c) - 1);
    const decoded = decodeColumn(c, { name: 'amount', kind: 'numeric' }, Int32Array.of(bin), createRng(1));
    expect(Number.isNaN((decoded as NumericColumn).values[0])).toBe(true);
  });

  it('under DP takes bounds, steps and levels from the statistics and stays within the bins asked for', () => {
    const statistics = mixedStatistics();
    const budget = planBudget(1, 1e-6, 2);
    const released = discretise(table, { bins: 16, mechanisms: secureMechanisms, statistics, budget, roundSigma: 30 });
    expect(released.coders.map((c) => c.name)).toEqual(statistics.map((s) => s.name));
    expect(released.coders[0]).toMatchObject({ kind: 'categorical', levels: ['north', 'south', 'east', '(other)'] });
    const amount = released.coders[4] as NumericCoder;
    expect([amount.min, amount.max, amount.step, amount.missing]).toEqual([0, 5000, 0.1, true]);
    expect(released.sizes[4]).toBeLessThanOrEqual(16 + 1);
    // Two binned columns share the heavy and fine shares of rho.
    expect(released.releases.filter((r) => r.rho > 0).map((r) => r.column)).toEqual(['age', 'amount']);
    expect(released.releases[3].rho).toBeCloseTo((budget.heavyRho + budget.fineRho) / 2, 12);
  });

  it('caps the bins where a pair of them would hold less than the noise per cell', () => {
    expect(supportedBins(32, 16000, 60)).toBe(16); // sqrt(16000 / 60) = 16.3
    expect(supportedBins(32, 1e6, 10)).toBe(32);
    expect(supportedBins(32, 100, 50)).toBe(8); // never below 8
    expect(supportedBins(32, 100, 0)).toBe(32); // without DP, as asked
  });

  it('puts cuts at quantiles of the leaf weights, on leaf edges', () => {
    const grid = fineGrid(0, 100, 0, 100);
    expect(quantileCuts(grid, new Array<number>(100).fill(1), 4)).toEqual([25, 50, 75]);
    // All the weight in the first tenth: every cut falls inside it.
    const skewed = Array.from({ length: 100 }, (_, j) => (j < 10 ? 1 : 0));
    expect(quantileCuts(grid, skewed, 5).every((c) => c <= 10)).toBe(true);
  });
});
