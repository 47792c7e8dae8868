import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInputs } from '../../src/core/io/load-inputs.js';
import { rowContents } from '../../src/core/row-digest.js';
import { splitRows } from '../../src/core/split.js';
import { takeRows, type Table } from '../../src/core/table.js';
import { openFileStatistics, type FileStatistics } from '../../src/statistics/duckdb-source.js';
import { sideCounts, writeSideSample, type FileSplit } from '../../src/statistics/file-split.js';

/** Rows with what the canonical content must see through: copies, "5.0" and 5, missing markers, dates. */
function fileText(): string {
  const lines = ['age,weight,city,seen'];
  for (let i = 0; i < 400; i++) {
    const age = i % 7 === 0 ? 'NA' : String(20 + (i % 50));
    const weight = i % 5 === 0 ? `${60 + (i % 30)}.0` : String(60.5 + (i % 30));
    const city = ['Oslo', 'Lima', '', 'Pune'][i % 4];
    const seen = `2021-0${1 + (i % 9)}-1${i % 10}`;
    lines.push([age, weight, city, seen].join(','));
    // A copy of every tenth row: copies land on the same side.
    if (i % 10 === 0) lines.push([age, weight, city, seen].join(','));
  }
  return lines.join('\n') + '\n';
}

const SPLIT: FileSplit = { seed: 11, fraction: 0.25, side: 'train' };

describe('file split', () => {
  let dir: string;
  let path: string;
  let table: Table;
  let train: FileStatistics;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-file-split-'));
    path = join(dir, 'rows.csv');
    writeFileSync(path, fileText());
    table = (await loadInputs([path], {})).tables[0];
    train = await openFileStatistics(path, { split: SPLIT });
  });
  afterAll(async () => {
    await train?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts each row on the side the in-memory split gives it', async () => {
    const split = splitRows(table, SPLIT);
    expect(split.holdout.length).toBeGreaterThan(50);
    expect(await sideCounts(train.connection, SPLIT)).toEqual({
      rows: table.rowCount,
      train: split.train.length,
      holdout: split.holdout.length,
    });
    expect(await train.count()).toBe(split.train.length);
    // The holdout rows themselves, read back by gesalp's reader: the same multiset of contents.
    const out = join(dir, 'holdout.csv');
    const columns = table.columns.map((c) => c.name);
    expect(await writeSideSample(train.connection, columns, SPLIT, 'holdout', { rows: 1e6, seed: 3 }, out)).toBe(
      split.holdout.length,
    );
    const read = (await loadInputs([out], {})).tables[0];
    expect(rowContents(read).sort()).toEqual(rowContents(takeRows(table, split.holdout)).sort());
  });

  it('counts the training side only', async () => {
    const split = splitRows(table, SPLIT);
    const city = table.columns.find((c) => c.name === 'city')!;
    const rows = takeRows(table, split.train).columns.find((c) => c.name === 'city')!;
    const levels = 'levels' in city ? city.levels : [];
    const counts = await train.levelCounts('city', levels);
    const codes = 'codes' in rows ? Array.from(rows.codes) : [];
    expect(counts.counts).toEqual(levels.map((_, k) => codes.filter((c) => c === k).length));
    expect(counts.missing).toBe(codes.filter((c) => c < 0).length);
  });

  it('draws the same sample for the same seed, at most the rows asked for', async () => {
    const [a, b] = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    const columns = table.columns.map((c) => c.name);
    expect(await writeSideSample(train.connection, columns, SPLIT, 'train', { rows: 40, seed: 5 }, a)).toBe(40);
    await writeSideSample(train.connection, columns, SPLIT, 'train', { rows: 40, seed: 5 }, b);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });
});
