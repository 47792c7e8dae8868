import { describe, expect, it } from '@jest/globals';
import type { Table } from '../../src/core/table.js';
import { mixRows, simplexGrid } from '../../src/pipeline/ensemble.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { fakeRequest, fakeTable } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

/** Rows tagged by their table: x is the table's index, c one of two shared levels. */
const tagged = (index: number, rows: number): Table =>
  table(
    numeric(
      'x',
      Array.from({ length: rows }, () => index),
    ),
    categorical(
      'c',
      Array.from({ length: rows }, (_, i) => i % 2),
      ['a', 'b'],
    ),
  );

describe('ensemble weights and mixture', () => {
  it('lays weights on the simplex that sum to 1 exactly', () => {
    for (const [k, steps] of [
      [2, 10],
      [3, 4],
    ]) {
      const grid = simplexGrid(k, steps);
      expect(grid.length).toBe(k === 2 ? 11 : 15);
      for (const w of grid) {
        expect(w).toHaveLength(k);
        expect(w.reduce((s, x) => s + x, 0)).toBe(1);
        expect(w.every((x) => x >= 0)).toBe(true);
      }
      expect(grid[0][0]).toBe(1); // the best-ranked member alone comes first
    }
  });

  it('draws each table’s share of the rows, and reproduces a seeded sample', () => {
    const tables = [tagged(0, 500), tagged(1, 500), tagged(2, 500)];
    const mixed = mixRows(tables, [0.5, 0.3, 0.2], 401, 7);
    const x = mixed.columns[0] as { values: Float64Array };
    const count = (v: number) => x.values.filter((y) => y === v).length;
    expect(mixed.rowCount).toBe(401);
    // 200.5, 120.3, 80.2 by largest remainders: 201, 120, 80.
    expect([count(0), count(1), count(2)]).toEqual([201, 120, 80]);
    expect(mixRows(tables, [0.5, 0.3, 0.2], 401, 7)).toEqual(mixed);
    // Every row asked for, whatever the remainders.
    for (const rows of [7, 347, 499]) expect(mixRows(tables, [0.25, 0.25, 0.5], rows, 1).rowCount).toBe(rows);
    expect(mixRows(tables, [0.5, 0.3, 0.2], 401, 8)).not.toEqual(mixed);
    // Shuffled: the first rows are not all from the first table.
    expect(new Set(Array.from(x.values.subarray(0, 50))).size).toBeGreaterThan(1);
  });

  it('refuses members whose levels differ', () => {
    const other = table(numeric('x', [1]), categorical('c', [0], ['z']));
    expect(() => mixRows([tagged(0, 10), other], [0.5, 0.5], 2, 1)).toThrow(/levels of c/);
  });
});

const ROWS = 600;
const realTable = () => fakeTable(ROWS, 5);
const request = (overrides: Partial<GenerateRequest>) => fakeRequest(ROWS, overrides, () => 300);

describe('--ensemble in the pipeline', () => {
  it('weighs the best attempts on the validation split and says whether the mixture beat the best one', async () => {
    const plan = { kind: 'grid' as const, points: [{ n_iter: 150 }, { n_iter: 300 }, { n_iter: 200 }] };
    const result = await generate(realTable(), { ...request({ plan }), search: { ensemble: 2 } });
    const e = result.report.ensemble!;
    expect(e.members.map((m) => m.attempt)).toEqual([2, 3]);
    expect(e.members.reduce((s, m) => s + m.weight, 0)).toBeCloseTo(1, 12);
    expect(e.best.attempt).toBe(2);
    // A fully trained fake and a shifted one: the mixture cannot beat the unshifted rows on quality.
    expect(e.kept).toBe(false);
    expect(e.reason).toMatch(/attempt 2 alone/);
    expect(result.report.optimizer.kept_attempt).toBe(2);
  });
});
