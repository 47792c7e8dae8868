import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInputs } from '../../src/core/io/load-inputs.js';
import { splitRows } from '../../src/core/split.js';
import { takeRows, type Table } from '../../src/core/table.js';
import { fitAim } from '../../src/models/aim/fit.js';
import { exactMechanisms } from '../../src/models/aim/mechanisms.js';
import { fitAimFromSource } from '../../src/models/aim/source-fit.js';
import { AIM_FIXED_DEFAULTS } from '../../src/models/aim/space.js';
import type { FitOptions } from '../../src/models/synthesizer.js';
import { generateFromFile } from '../../src/pipeline/file-generate.js';
import { openFileStatistics } from '../../src/statistics/duckdb-source.js';
import { expectSameFit, mixedStatistics, mixedTable } from '../models/aim/fixture.js';

const ROWS = 3000;
const params = { ...AIM_FIXED_DEFAULTS, rounds_per_column: 4, iterations: 20, final_iterations: 50 };
const SPLIT = { seed: 9, fraction: 0.2 };

function csvOf(t: Table): string {
  const cell = (c: Table['columns'][number], r: number) =>
    c.kind === 'categorical'
      ? c.codes[r] < 0
        ? ''
        : c.levels[c.codes[r]]
      : Number.isNaN(c.values[r])
        ? ''
        : String(c.values[r]);
  const lines = Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => cell(c, r)).join(','));
  return `${t.columns.map((c) => c.name).join(',')}\n${lines.join('\n')}\n`;
}

describe('generateFromFile', () => {
  let dir: string;
  let path: string;
  let table: Table;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-file-generate-'));
    path = join(dir, 'mixed.csv');
    const rows = mixedTable(ROWS, 17);
    (rows.columns[4] as { values: Float64Array }).values[5] = NaN;
    writeFileSync(path, csvOf(rows));
    table = (await loadInputs([path], { continuous: ['grade'] })).tables[0];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits, from the training side DuckDB counts, the model the training rows in memory give', async () => {
    const statistics = mixedStatistics();
    const options: FitOptions = { seed: 1, threads: 1, backend: 'cpu', statistics };
    const overrides = { mechanisms: exactMechanisms };
    const train = takeRows(table, splitRows(table, SPLIT).train);
    const memory = await fitAim(train, params, options, overrides);
    const source = await openFileStatistics(path, { split: { ...SPLIT, side: 'train' } });
    try {
      expectSameFit(await fitAimFromSource({ source, statistics }, params, options, overrides), memory);
    } finally {
      await source.close();
    }
  });

  it('writes the rows, records the split evaluate --split rebuilds, and samples each side', async () => {
    const sampleDir = mkdtempSync(join(dir, 'samples-'));
    const result = await generateFromFile({
      path,
      params,
      rows: 500,
      seed: SPLIT.seed,
      holdoutFraction: SPLIT.fraction,
      evaluationRows: 200,
      sampleDir,
    });
    const split = splitRows(table, SPLIT);
    expect(result.table.rowCount).toBe(500);
    expect(result.csv.split('\n')[0]).toBe('city,member,grade,age,amount');
    expect(result.split).toMatchObject({
      rule: 'row_hash',
      seed: SPLIT.seed,
      fraction: SPLIT.fraction,
      rows: ROWS,
      train_rows: split.train.length,
      holdout_rows: split.holdout.length,
    });
    expect(result.split.input_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.samples).toMatchObject({ train_rows: 200, holdout_rows: 200, cap: 200 });
    expect(readFileSync(result.samples.train, 'utf8').split('\n')[0]).toBe('city,member,grade,age,amount');
    expect(result.privacy).toBeNull();
  });
});
