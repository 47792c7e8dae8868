import { describe, expect, it } from '@jest/globals';
import { rowContents } from '../../src/core/row-digest.js';
import { SIDE, holdoutFlags, rowSides, splitRows } from '../../src/core/split.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const rows = (n: number) =>
  table(
    numeric(
      'x',
      Array.from({ length: n }, (_, i) => i),
    ),
    categorical(
      'c',
      Array.from({ length: n }, (_, i) => i % 3),
      ['a', 'b', 'c'],
    ),
  );

describe('splitRows', () => {
  it('is a keyed partition: disjoint, complete, about the asked share, the same for the same key', () => {
    const a = splitRows(rows(1000), { seed: 4, fraction: 0.2 });
    // A binomial count: 200 +- 5 standard deviations (12.6).
    expect(Math.abs(a.holdout.length - 200)).toBeLessThan(64);
    expect(a.train.length + a.holdout.length).toBe(1000);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(1000);
    expect(splitRows(rows(1000), { seed: 4, fraction: 0.2 })).toEqual(a);
    expect(splitRows(rows(1000), { seed: 5, fraction: 0.2 }).holdout).not.toEqual(a.holdout);
  });

  it('sends each row where rowSides sends its content, hashing one row at a time', () => {
    const t = rows(2000);
    const spec = { seed: 11, fraction: 0.2, validation: 0.1 };
    const sides = rowSides(rowContents(t), spec);
    const rowsOn = (side: number) => Int32Array.from(sides.keys()).filter((row) => sides[row] === side);
    expect(splitRows(t, spec)).toEqual({
      train: rowsOn(SIDE.train),
      holdout: rowsOn(SIDE.holdout),
      validation: rowsOn(SIDE.validation),
    });
  });

  it('keeps every row for training with fraction 0', () => {
    expect(splitRows(rows(10), { seed: 0, fraction: 0 }).train).toHaveLength(10);
  });

  it('puts copies of a row on the same side, and moves no row when another is added', () => {
    const t = rows(500);
    const doubled = table(
      numeric('x', [...(t.columns[0] as { values: Float64Array }).values, 7]),
      categorical('c', [...(t.columns[1] as { codes: Int32Array }).codes, 1], ['a', 'b', 'c']),
    );
    const flags = holdoutFlags(rowContents(doubled), { seed: 9, fraction: 0.3 });
    expect(flags[500]).toBe(flags[7]);
    expect(Array.from(flags.subarray(0, 500))).toEqual(
      Array.from(holdoutFlags(rowContents(t), { seed: 9, fraction: 0.3 })),
    );
  });

  it('reads a row the same whether its cells were typed as numbers or as text', () => {
    const asNumbers = table(numeric('x', [5, 2.5, NaN]));
    const asText = table(categorical('x', [0, 1, 2], ['5.0', '2.50', 'NA']));
    expect(rowContents(asText)).toEqual(rowContents(asNumbers));
  });
});
