import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';
import { fitAim } from '../../../src/models/aim/fit.js';
import type { FitOptions } from '../../../src/models/synthesizer.js';
import { exactMechanisms } from '../../../src/models/aim/mechanisms.js';
import { fitAimFromSource } from '../../../src/models/aim/source-fit.js';
import { AIM_FIXED_DEFAULTS } from '../../../src/models/aim/space.js';
import { openDatabaseStatistics } from '../../../src/statistics/database-source.js';
import { openFileStatistics } from '../../../src/statistics/duckdb-source.js';
import type { StatisticsSource } from '../../../src/statistics/source.js';
import { numeric, table as makeTable } from '../../helpers/tables.js';
import { expectSameFit, mixedStatistics, mixedTable } from './fixture.js';

const ROWS = 3000;
const params = { ...AIM_FIXED_DEFAULTS, rounds_per_column: 4, iterations: 20, final_iterations: 50 };

/** The table's cells as stored: a level's text, a number, or null for a gap. */
function cells(t: Table): (string | number | null)[][] {
  return Array.from({ length: t.rowCount }, (_, r) =>
    t.columns.map((c) =>
      c.kind === 'categorical'
        ? c.codes[r] < 0
          ? null
          : c.levels[c.codes[r]]
        : Number.isNaN(c.values[r])
          ? null
          : c.values[r],
    ),
  );
}

describe('fitAimFromSource', () => {
  const table = mixedTable(ROWS, 17);
  // A gap in amount, so the missing bin is counted too.
  (table.columns[4] as { values: Float64Array }).values[5] = NaN;
  let dir: string;
  const sources: [string, () => Promise<StatisticsSource>][] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-aim-source-'));
    const file = join(dir, 'mixed.db');
    const db = new Database(file);
    db.exec('create table mixed (city text, member text, grade integer, age integer, amount real)');
    const insert = db.prepare('insert into mixed values (?, ?, ?, ?, ?)');
    db.transaction(() => cells(table).forEach((row) => insert.run(...row)))();
    db.close();
    const csv = cells(table).map((row) => row.map((v) => (v === null ? '' : String(v))).join(','));
    writeFileSync(join(dir, 'mixed.csv'), `city,member,grade,age,amount\n${csv.join('\n')}\n`);
    sources.push(
      [
        'sqlite',
        () =>
          openDatabaseStatistics({
            connection: { client: 'sqlite', connection: file },
            table: 'mixed',
            timeoutMs: 60000,
          }),
      ],
      ['duckdb', () => openFileStatistics(join(dir, 'mixed.csv'))],
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const compare = async (privacy: boolean) => {
    const statistics = mixedStatistics();
    const options: FitOptions = {
      seed: 1,
      threads: 1,
      backend: 'cpu',
      statistics,
      ...(privacy ? { privacy: { epsilon: 1, delta: 1e-6, maxGradNorm: 1, rows: ROWS } } : {}),
    };
    const overrides = { mechanisms: exactMechanisms };
    const memory = await fitAim(table, params, options, overrides);
    for (const [, open] of sources) {
      const source = await open();
      try {
        expectSameFit(await fitAimFromSource({ source, statistics }, params, options, overrides), memory);
      } finally {
        await source.close();
      }
    }
  };

  it('fits the model the rows in memory give, from exact counts', async () => {
    await compare(false);
  });

  it('fetches the cliques of three a triangulated model needs, and fits what rows in memory give', async () => {
    // a, b and c = a + b: each pair is dependent and no tree of pairs holds all three, so the exact rounds close a cycle.
    const rng = createRng(5);
    const a = Array.from({ length: 20000 }, () => rng.int(6));
    const b = a.map((x) => (x + rng.int(3)) % 6);
    const c = a.map((x, r) => (x + b[r] + rng.int(2)) % 6);
    const cycle = makeTable(numeric('a', a), numeric('b', b), numeric('c', c));
    const file = join(dir, 'cycle.db');
    const db = new Database(file);
    db.exec('create table cycle (a integer, b integer, c integer)');
    const insert = db.prepare('insert into cycle values (?, ?, ?)');
    db.transaction(() => a.forEach((x, r) => insert.run(x, b[r], c[r])))();
    db.close();
    const statistics: ColumnStatistics[] = ['a', 'b', 'c'].map((name) => ({
      kind: 'numeric',
      name,
      min: 0,
      max: 5,
      quantiles: [0, 5],
      step: 1,
      missing: false,
    }));
    const options: FitOptions = { seed: 1, threads: 1, backend: 'cpu', statistics };
    const memory = await fitAim(cycle, params, options);
    const source = await openDatabaseStatistics({
      connection: { client: 'sqlite', connection: file },
      table: 'cycle',
      timeoutMs: 60000,
    });
    const widths: number[] = [];
    const marginal = source.marginal.bind(source);
    source.marginal = (binnings) => {
      widths.push(binnings.length);
      return marginal(binnings);
    };
    try {
      const fitted = await fitAimFromSource({ source, statistics }, params, options);
      expect(Math.max(...widths)).toBe(3);
      expect(Array.from(fitted.model.marginal([0, 1, 2]))).toEqual(Array.from(memory.model.marginal([0, 1, 2])));
    } finally {
      await source.close();
    }
  });

  it('runs the DP rounds on the counts the rows in memory give (noise replaced by exact counts)', async () => {
    await compare(true);
  });

  it('reads bounds and steps from aggregates without DP, and refuses undeclared levels', async () => {
    const source = await sources[0][1]();
    try {
      const statistics = mixedStatistics().map((s) => (s.kind === 'categorical' ? s : undefined));
      const fitted = await fitAimFromSource({ source, statistics }, params, { seed: 1, threads: 1, backend: 'cpu' });
      const age = fitted.coders[3];
      expect(age.kind === 'numeric' && [age.min, age.max, age.step]).toEqual([
        Math.min(...(table.columns[3] as { values: Float64Array }).values),
        Math.max(...(table.columns[3] as { values: Float64Array }).values),
        1,
      ]);
      await expect(fitAimFromSource({ source }, params, { seed: 1, threads: 1, backend: 'cpu' })).rejects.toThrow(
        /not declared/,
      );
    } finally {
      await source.close();
    }
  });
});
