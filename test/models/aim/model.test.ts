import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CategoricalColumn, NumericColumn } from '../../../src/core/table.js';
import { Aim } from '../../../src/models/aim/model.js';
import { AIM_FIXED_DEFAULTS } from '../../../src/models/aim/space.js';
import { loadModel } from '../../../src/models/registry.js';
import { zcdpRho } from '../../../src/privacy/zcdp.js';
import { mixedStatistics, mixedTable } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'gesalp-aim-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARAMS = { ...AIM_FIXED_DEFAULTS, iterations: 30, final_iterations: 200 };
const fitOptions = { seed: 1, threads: 1, backend: 'cpu' as const };

describe('AIM as a Synthesizer', () => {
  const table = mixedTable(3000, 2);

  it('without DP fits exact marginals and keeps each column close', async () => {
    const model = new Aim(PARAMS);
    const training = await model.fit(table, fitOptions);
    expect(training.privacy).toBeUndefined();
    expect(training.epochsDone).toBeGreaterThan(0);
    const { table: rows } = await model.sample(3000, { seed: 1 });
    const share = (t: typeof table, code: number) =>
      (t.columns[1] as CategoricalColumn).codes.filter((c) => c === code).length / t.rowCount;
    expect(Math.abs(share(rows, 1) - share(table, 1))).toBeLessThan(0.01);
    // city and member are dependent in the fixture; the model keeps it.
    const memberOf = (t: typeof table, city: number) => {
      const c = (t.columns[0] as CategoricalColumn).codes;
      const m = (t.columns[1] as CategoricalColumn).codes;
      const rowsOf = [...c.keys()].filter((r) => c[r] === city);
      return rowsOf.filter((r) => m[r] === 1).length / rowsOf.length;
    };
    expect(Math.abs(memberOf(rows, 0) - memberOf(table, 0))).toBeLessThan(0.05);
    expect(Math.abs(memberOf(rows, 1) - memberOf(table, 1))).toBeLessThan(0.05);
  });

  it('under DP spends at most its rho and accounts every stage and round', async () => {
    const model = new Aim({ ...PARAMS, rounds_per_column: 3 });
    const training = await model.fit(table, {
      ...fitOptions,
      privacy: { epsilon: 1, delta: 1e-6, maxGradNorm: 1, rows: table.rowCount },
      statistics: mixedStatistics(),
    });
    const privacy = training.privacy!;
    expect(privacy.spentEpsilon).toBeLessThanOrEqual(1 + 1e-9);
    const z = privacy.zcdp!;
    expect(z.rho).toBeCloseTo(zcdpRho(1, 1e-6 * 0.99), 12);
    const charged =
      z.stages.reduce((s, x) => s + x.rho, 0) + z.rounds.reduce((s, r) => s + r.selectionRho + r.measurementRho, 0);
    expect(charged).toBeCloseTo(z.spentRho, 12);
    expect(z.spentRho).toBeLessThanOrEqual(z.rho * (1 + 1e-9));
    expect(z.rounds.length).toBeGreaterThan(0);
    expect(z.rounds.every((r) => r.marginal.every((name) => table.columns.some((c) => c.name === name)))).toBe(true);
    // Sampled categorical levels are the statistics' (the placeholder included), never the rows'.
    const { table: rows } = await model.sample(100, { seed: 2 });
    expect((rows.columns[0] as CategoricalColumn).levels).toEqual(['north', 'south', 'east', '(other)']);
  });

  it('conditions exactly: every row holds the value, rows of each value in order, and refuses what it cannot hold', async () => {
    const model = new Aim(PARAMS);
    await model.fit(table, fitOptions);
    const { table: rows } = await model.sample(400, {
      seed: 3,
      condition: { column: 'city', values: ['east', 'north'] },
    });
    const codes = (rows.columns[0] as CategoricalColumn).codes;
    expect(rows.rowCount).toBe(800);
    expect(codes.slice(0, 400).every((c) => c === 2)).toBe(true);
    expect(codes.slice(400).every((c) => c === 0)).toBe(true);
    // The conditional of member given city follows the fit: north has far more members.
    const members = (from: number, to: number) =>
      (rows.columns[1] as CategoricalColumn).codes.slice(from, to).filter((c) => c === 1).length / (to - from);
    expect(members(400, 800)).toBeGreaterThan(members(0, 400) + 0.3);
    await expect(model.sample(10, { seed: 1, condition: { column: 'city', values: ['west'] } })).rejects.toThrow(
      /no value 'west'/,
    );
    await expect(model.sample(10, { seed: 1, condition: { column: 'age', values: ['3'] } })).rejects.toThrow(
      /conditions take values of a categorical column/,
    );
  });

  it('saves and loads: the loaded model samples the same rows for the same seed, and a damaged folder is refused', async () => {
    const model = new Aim(PARAMS);
    await model.fit(table, fitOptions);
    const path = join(dir, 'model');
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded.method).toBe('aim');
    expect(loaded.params).toEqual(PARAMS);
    const [a, b] = [await model.sample(500, { seed: 9 }), await loaded.sample(500, { seed: 9 })];
    a.table.columns.forEach((column, j) => {
      const other = b.table.columns[j];
      if (column.kind === 'categorical') expect((other as CategoricalColumn).codes).toEqual(column.codes);
      else expect((other as NumericColumn).values).toEqual((column as NumericColumn).values);
    });
    // Hand-edited model.json files that once loaded (or failed as internal errors): each is exit 3, named.
    const saved = readFileSync(join(path, 'model.json'), 'utf8');
    const edits: [string, (f: Record<string, any>) => void, RegExp][] = [
      [
        'a level twice',
        (f) => (f.coders[0].levels = [f.coders[0].levels[0], ...f.coders[0].levels]),
        /lists a level twice/,
      ],
      ["a column's levels not the coder's", (f) => (f.columns[0].levels = ['X']), /levels differ from its column's/],
      ['an empty training summary', (f) => (f.training = {}), /"training" is not a training summary/],
    ];
    for (const [, edit, message] of edits) {
      const file = JSON.parse(saved);
      edit(file);
      writeFileSync(join(path, 'model.json'), JSON.stringify(file));
      await expect(loadModel(path)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(message) });
    }
    writeFileSync(join(path, 'model.json'), saved);
    writeFileSync(join(path, 'potentials.bin'), new Uint8Array(12));
    await expect(loadModel(path)).rejects.toThrow(/potentials\.bin has 12 bytes/);
  });
});
