import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';
import { decodeRows, encodeRows } from '../../../src/models/transformers/codec.js';
import { fitLayout } from '../../../src/models/transformers/layout.js';

const table: Table = {
  rowCount: 6,
  columns: [
    { name: 'age', kind: 'numeric', values: Float64Array.from([20, 35, NaN, 50, 61, 35]) },
    { name: 'price', kind: 'numeric', values: Float64Array.from([1.25, 2.5, 3.75, 0.5, 9.99, 2.5]) },
    { name: 'day', kind: 'datetime', values: Float64Array.from([0, 86400, 172800, 864000, 86400 * 30, 0]) },
    {
      name: 'city',
      kind: 'categorical',
      codes: Int32Array.from([0, 2, -1, 0, 2, 2]),
      levels: ['Oslo', 'Rome', 'Kyiv'],
    },
  ],
};

describe('diffusion layout and codec', () => {
  const layout = fitLayout(table);

  it('fits rounding steps, ranges and the seen levels (missing last)', () => {
    expect(layout.numeric.map((p) => p.step)).toEqual([1, 0.01, 86400]);
    expect(layout.numeric[0]).toMatchObject({ min: 20, max: 61 });
    expect(layout.spans).toEqual([
      { column: 0, role: 'missing-indicator', codes: [0, 1] },
      { column: 3, role: 'category', codes: [0, 2, -1] },
    ]);
  });

  it('decodes encoded rows back to the same table', () => {
    const encoded = encodeRows(layout, table, createRng(1));
    const decoded = decodeRows(layout, encoded, table);
    for (let c = 0; c < 3; c++) {
      const want = (table.columns[c] as { values: Float64Array }).values;
      const got = (decoded.columns[c] as { values: Float64Array }).values;
      for (let i = 0; i < 6; i++) {
        if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
        else expect(got[i]).toBeCloseTo(want[i], 9);
      }
    }
    expect(Array.from((decoded.columns[3] as { codes: Int32Array }).codes)).toEqual([0, 2, -1, 0, 2, 2]);
  });

  it('encodes into shared memory the same values as into its own', () => {
    const own = encodeRows(layout, table, createRng(1));
    const shared = encodeRows(layout, table, createRng(1), true);
    expect(shared.numeric.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.classes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.numeric)).toEqual(Array.from(own.numeric));
    expect(Array.from(shared.classes)).toEqual(Array.from(own.classes));
  });

  it('keeps sampled values inside the seen range, on the seen grid', () => {
    const wild = {
      rows: 2,
      numeric: Float32Array.from([40, 40, 9, -40, -40, 1.1]),
      classes: Int32Array.from([0, 0, 0, 1]),
    };
    const decoded = decodeRows(layout, wild, table);
    const [age, price, day] = decoded.columns as { values: Float64Array }[];
    expect(Array.from(age.values)).toEqual([61, 20]);
    expect(Array.from(price.values)).toEqual([9.99, 0.5]);
    for (const v of day.values) expect(v % 86400).toBe(0);
  });
});
