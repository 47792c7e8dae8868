import { describe, expect, it } from '@jest/globals';
import { ksStatistic } from '../../src/metrics/formulas/ks.js';
import { totalVariation } from '../../src/metrics/formulas/tvd.js';
import { correlationRatio, cramersV, pearson } from '../../src/metrics/formulas/association.js';
import { median, rocAuc } from '../../src/metrics/stats.js';
import { randomCodes, randomValues } from '../helpers/random.js';

/** sup_x |F_a(x) - F_b(x)| evaluated at every observed point, straight from the definition. */
function ksByDefinition(a: number[], b: number[]): number {
  const cdf = (xs: number[], x: number) => xs.filter((v) => v <= x).length / xs.length;
  return Math.max(...[...a, ...b].map((x) => Math.abs(cdf(a, x) - cdf(b, x))));
}

const present = (values: Float64Array) => Array.from(values).filter((v) => !Number.isNaN(v));

describe('ksStatistic', () => {
  it('matches a hand-computed value', () => {
    // F_a jumps at 1,2,3; F_b at 2,4: at x=1 |1/3-0|, x=2 |2/3-1/2|, x=3 |1-1/2| = 1/2, x=4 0.
    expect(ksStatistic(Float64Array.of(1, 2, 3), Float64Array.of(2, 4))).toBeCloseTo(0.5, 12);
  });

  it('matches the definition on random samples with ties and missing values', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = randomValues(50 + seed, seed, { missing: 0.1, round: 2 });
      const b = randomValues(40 + 2 * seed, seed + 100, { missing: 0.2, round: 2 });
      expect(Math.abs(ksStatistic(a, b)! - ksByDefinition(present(a), present(b)))).toBeLessThan(1e-9);
    }
  });

  it('is 0 for identical samples, 1 when one side is empty, null when both are', () => {
    const a = randomValues(30, 3);
    expect(ksStatistic(a, a.slice())).toBe(0);
    expect(ksStatistic(a, Float64Array.of(NaN))).toBe(1);
    expect(ksStatistic(Float64Array.of(NaN), Float64Array.of(NaN))).toBeNull();
  });
});

describe('totalVariation', () => {
  it('counts missing as its own category', () => {
    // a: {0:2, 1:1, missing:1}/4, b: {0:1, 1:1, missing:2}/4 -> 0.5 * (1/4 + 0 + 1/4)
    expect(totalVariation(Int32Array.of(0, 0, 1, -1), Int32Array.of(0, 1, -1, -1), 2)).toBeCloseTo(0.25, 12);
  });

  it('is 1 for disjoint supports', () => {
    expect(totalVariation(Int32Array.of(0, 0), Int32Array.of(1, 1), 2)).toBe(1);
  });
});

describe('pearson', () => {
  it('matches a hand-computed value on pairwise complete rows', () => {
    // Rows with a NaN drop out; remaining x = 1,2,3,4 and y = 2,4,5,4.
    // mean x 2.5, mean y 3.75; sxy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(1.25) + (1.5)(0.25) = 3.5
    // sxx = 5, syy = 3.0625+0.0625+1.5625+0.0625 = 4.75; r = 3.5 / sqrt(23.75)
    const x = Float64Array.of(1, 2, NaN, 3, 4, 9);
    const y = Float64Array.of(2, 4, 7, 5, 4, NaN);
    expect(Math.abs(pearson(x, y) - 3.5 / Math.sqrt(23.75))).toBeLessThan(1e-12);
  });

  it('is 0 when a column is constant', () => {
    expect(pearson(Float64Array.of(1, 1, 1), Float64Array.of(1, 2, 3))).toBe(0);
  });
});

/** Cramer's V from the full contingency table, every cell, the textbook way. */
function cramersVByTable(a: Int32Array, b: Int32Array): number {
  const rows = [...new Set(a)];
  const cols = [...new Set(b)];
  const n = a.length;
  let chi2 = 0;
  for (const r of rows) {
    for (const c of cols) {
      let observed = 0;
      for (let i = 0; i < n; i++) if (a[i] === r && b[i] === c) observed++;
      const expected = (a.filter((v) => v === r).length * b.filter((v) => v === c).length) / n;
      chi2 += (observed - expected) ** 2 / expected;
    }
  }
  const k = Math.min(rows.length, cols.length);
  return k < 2 ? 0 : Math.sqrt(chi2 / (n * (k - 1)));
}

describe('cramersV', () => {
  it('equals |phi| on a 2x2 table', () => {
    // Table [[3,1],[1,3]]: phi = (9-1)/sqrt(4*4*4*4) = 0.5
    const a = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1);
    const b = Int32Array.of(0, 0, 0, 1, 0, 1, 1, 1);
    expect(cramersV(a, 2, b, 2)).toBeCloseTo(0.5, 12);
  });

  it('matches the full-table chi-square formula, missing as a category', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const a = randomCodes(200, 4, seed, 0.1);
      const b = randomCodes(200, 3, seed + 50, 0.05);
      expect(Math.abs(cramersV(a, 4, b, 3) - cramersVByTable(a, b))).toBeLessThan(1e-9);
    }
  });

  it('is 0 with a single category', () => {
    expect(cramersV(Int32Array.of(0, 0, 0), 1, Int32Array.of(0, 1, 2), 3)).toBe(0);
  });
});

describe('correlationRatio', () => {
  it('matches sqrt(SS_between / SS_total) computed by hand', () => {
    // groups: a -> 1,2,3 (mean 2); b -> 7,9 (mean 8); overall mean 22/5 = 4.4
    // SS_between = 3*(2-4.4)^2 + 2*(8-4.4)^2 = 17.28 + 25.92 = 43.2
    // SS_total = 1+4+9+49+81 - 5*4.4^2 = 144 - 96.8 = 47.2
    const codes = Int32Array.of(0, 0, 0, 1, 1, 1);
    const values = Float64Array.of(1, 2, 3, 7, 9, NaN);
    expect(Math.abs(correlationRatio(codes, 2, values) - Math.sqrt(43.2 / 47.2))).toBeLessThan(1e-12);
  });

  it('is 0 for a constant numeric column or a single category', () => {
    expect(correlationRatio(Int32Array.of(0, 1, 0), 2, Float64Array.of(5, 5, 5))).toBe(0);
    expect(correlationRatio(Int32Array.of(0, 0, 0), 1, Float64Array.of(1, 2, 3))).toBe(0);
  });
});

/** AUC by comparing every positive with every negative. */
function aucByPairs(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

describe('rocAuc', () => {
  it('matches pairwise counting with ties', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const pos = Array.from(randomValues(37, seed, { round: 1 }));
      const neg = Array.from(randomValues(23, seed + 9, { round: 1 }));
      expect(Math.abs(rocAuc(pos, neg) - aucByPairs(pos, neg))).toBeLessThan(1e-12);
    }
  });

  it('is 0.5 when every score ties', () => {
    expect(rocAuc([0, 0, 0], [0, 0])).toBe(0.5);
  });
});

describe('median', () => {
  it('averages the middle pair of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });
});
