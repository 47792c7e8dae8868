import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { CondVectors } from '../../../src/models/ctgan/cond-vector.js';
import { RowsByCategory } from '../../../src/models/ctgan/rows-by-category.js';
import { discreteSpans, type SpanLayout } from '../../../src/models/ctgan/spans.js';

/** A numeric column (tanh + 3 modes) between two discrete ones: the discrete offsets skip it. */
const layout: SpanLayout = {
  spans: [
    { size: 4, activation: 'softmax' },
    { size: 1, activation: 'tanh' },
    { size: 3, activation: 'softmax' },
    { size: 2, activation: 'softmax' },
  ],
  discreteSpans: [0, 3],
};
const discrete = discreteSpans(layout);
const counts = [
  [1, 9, 90, 900],
  [300, 700],
];

/** Pearson's statistic of observed counts against expected shares. */
function chiSquare(observed: number[], shares: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((sum, o, k) => sum + (o - n * shares[k]) ** 2 / (n * shares[k]), 0);
}

/** Upper 0.1 % points of the chi-square distribution (df 1 and 3): a correct sampler fails one seed in a thousand. */
const CHI2_999 = { 1: 10.83, 3: 16.27 } as const;

function tally(draw: { column: Int32Array; category: Int32Array }, column: number, size: number): number[] {
  const seen = new Array<number>(size).fill(0);
  draw.column.forEach((j, r) => {
    if (j === column) seen[draw.category[r]]++;
  });
  return seen;
}

describe('CTGAN conditional vectors', () => {
  it('finds the discrete spans with their offsets in the data row and the condition', () => {
    expect(discrete).toEqual([
      { span: 0, offset: 0, size: 4, condOffset: 0 },
      { span: 3, offset: 8, size: 2, condOffset: 4 },
    ]);
  });

  it('draws training categories by log-frequency (chi-square at 0.1 %), columns uniformly, one-hot conditions', () => {
    const vectors = new CondVectors(discrete, counts);
    const rows = 40_000;
    const draw = vectors.training(rows, createRng(1));
    counts.forEach((c, j) => {
      const logs = c.map((n) => Math.log(n + 1));
      const total = logs.reduce((a, b) => a + b, 0);
      const observed = tally(draw, j, c.length);
      expect(
        chiSquare(
          observed,
          logs.map((l) => l / total),
        ),
      ).toBeLessThan(c.length === 4 ? CHI2_999[3] : CHI2_999[1]);
    });
    const perColumn = [0, 1].map((j) => draw.column.filter((c) => c === j).length);
    expect(chiSquare(perColumn, [0.5, 0.5])).toBeLessThan(CHI2_999[1]);
    let wrong = 0;
    for (let r = 0; r < rows; r++) {
      const row = draw.cond.subarray(r * 6, (r + 1) * 6);
      const sum = row.reduce((a, b) => a + b, 0);
      if (sum !== 1 || row[discrete[draw.column[r]].condOffset + draw.category[r]] !== 1) wrong++;
    }
    expect(wrong).toBe(0);
    // Log-frequency lifts the rarest category (1 row in 1,000) to log 2 / sum log(n + 1) = 4.8 %.
    expect(tally(draw, 0, 4)[0] / perColumn[0]).toBeGreaterThan(0.04);
  });

  it('draws sampling categories by their real frequency (chi-square at 0.1 %), and fixed ones on request', () => {
    const vectors = new CondVectors(discrete, counts);
    const draw = vectors.original(40_000, createRng(2));
    counts.forEach((c, j) => {
      const total = c.reduce((a, b) => a + b, 0);
      expect(
        chiSquare(
          tally(draw, j, c.length),
          c.map((n) => n / total),
        ),
      ).toBeLessThan(c.length === 4 ? CHI2_999[3] : CHI2_999[1]);
    });
    const fixed = vectors.fixed(3, 1, 1);
    expect([...fixed.cond]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('never draws a category without rows', () => {
    const vectors = new CondVectors(discrete, [
      [0, 5, 0, 5],
      [0, 3],
    ]);
    const draw = vectors.training(5000, createRng(3));
    const empty = [...draw.column].filter((j, r) => !(j === 0 ? [1, 3] : [1]).includes(draw.category[r]));
    expect(empty).toEqual([]);
  });

  it('picks real rows that hold the category asked for, and counts the rows per category', () => {
    const width = 10;
    const rng = createRng(4);
    const rowCount = 500;
    const data = new Float32Array(rowCount * width);
    for (let r = 0; r < rowCount; r++) {
      data[r * width + rng.int(4)] = 1;
      data[r * width + 4] = rng.next() * 2 - 1;
      data[r * width + 5 + rng.int(3)] = 1;
      data[r * width + 8 + (rng.next() < 0.3 ? 0 : 1)] = 1;
    }
    const byCategory = new RowsByCategory(data, rowCount, width, discrete);
    const total = byCategory.counts().map((c) => c.reduce((a, b) => a + b, 0));
    expect(total).toEqual([rowCount, rowCount]);
    const vectors = new CondVectors(discrete, byCategory.counts());
    const draw = vectors.training(2000, rng);
    const held = [...draw.column].map((j, r) => {
      const row = byCategory.pick(j, draw.category[r], rng);
      return data[row * width + discrete[j].offset + draw.category[r]];
    });
    expect(new Set(held)).toEqual(new Set([1]));
  });
});
