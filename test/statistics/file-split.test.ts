import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectRequest } from '../../src/core/io/dialect.js';
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

  it('draws the same sample for the same seed, at most the rows asked for, copies not together', async () => {
    const [a, b, c] = [join(dir, 'a.csv'), join(dir, 'b.csv'), join(dir, 'c.csv')];
    const columns = table.columns.map((column) => column.name);
    const draw = (seed: number, out: string) =>
      writeSideSample(train.connection, columns, SPLIT, 'train', { rows: 40, seed }, out);
    expect(await draw(5, a)).toBe(40);
    await draw(5, b);
    await draw(6, c);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(readFileSync(c, 'utf8')).not.toBe(readFileSync(a, 'utf8'));
    // Rows of the training side only.
    const trainContents = new Set(rowContents(takeRows(table, splitRows(table, SPLIT).train)));
    const read = (await loadInputs([a], {})).tables[0];
    expect(rowContents(read).every((content) => trainContents.has(content))).toBe(true);
  });

  it('samples row positions, not contents: 40 rows repeated 30 times give many distinct rows, not two contents and their copies', async () => {
    const path30 = join(dir, 'repeated.csv');
    const body = fileText().trimEnd().split('\n');
    const distinct = body.slice(1, 41);
    writeFileSync(path30, [body[0], ...Array.from({ length: 30 }, () => distinct).flat()].join('\n') + '\n');
    const source = await openFileStatistics(path30, { split: SPLIT });
    try {
      const out = join(dir, 'repeated-sample.csv');
      const columns = table.columns.map((column) => column.name);
      await writeSideSample(source.connection, columns, SPLIT, 'train', { rows: 40, seed: 1 }, out);
      const read = (await loadInputs([out], {})).tables[0];
      // A sample by content hash takes a content's 30 copies or none: 2 distinct rows at most here.
      expect(new Set(rowContents(read)).size).toBeGreaterThan(10);
    } finally {
      await source.close();
    }
  });

  it("keeps a text column's 'none' and 'NA' as levels and a number column's 'NA' missing, as gesalp's reader does", async () => {
    const marked = join(dir, 'markers.csv');
    const lines = Array.from({ length: 60 }, (_, i) => `${['none', 'NA', 'guarantor', ''][i % 4]},${i % 5 ? i : 'NA'}`);
    writeFileSync(marked, ['debtors,amount', ...lines].join('\n') + '\n');
    const inMemory = (await loadInputs([marked], {})).tables[0];
    const debtors = inMemory.columns[0] as { levels: string[]; codes: Int32Array };
    const source = await openFileStatistics(marked, { split: SPLIT });
    try {
      const train = takeRows(inMemory, splitRows(inMemory, SPLIT).train);
      const codes = Array.from((train.columns[0] as { codes: Int32Array }).codes);
      const counts = await source.levelCounts('debtors', debtors.levels);
      expect(debtors.levels).toEqual(expect.arrayContaining(['none', 'NA', 'guarantor']));
      expect(counts.counts).toEqual(debtors.levels.map((_, k) => codes.filter((c) => c === k).length));
      expect(counts.missing).toBe(codes.filter((c) => c < 0).length);
      const amounts = (train.columns[1] as { values: Float64Array }).values;
      const present = Array.from(amounts).filter((v) => !Number.isNaN(v)).length;
      expect(await source.histogram('amount', [-1e9, 1e9])).toEqual([present]);
      expect(present).toBeLessThan(amounts.length);
    } finally {
      await source.close();
    }
  });

  it('splits a typed Parquet file (integers, doubles, dates, missing values) as gesalp reads it in memory', async () => {
    const parquet = join(dir, 'rows.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `copy (select * from read_csv('${path}', nullstr = ['', 'NA'])) to '${parquet}' (format parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const inMemory = (await loadInputs([parquet], {})).tables[0];
    const split = splitRows(inMemory, SPLIT);
    const source = await openFileStatistics(parquet, { split: SPLIT });
    try {
      expect(await sideCounts(source.connection, SPLIT)).toEqual({
        rows: inMemory.rowCount,
        train: split.train.length,
        holdout: split.holdout.length,
      });
      const out = join(dir, 'parquet-holdout.csv');
      const columns = inMemory.columns.map((c) => c.name);
      await writeSideSample(source.connection, columns, SPLIT, 'holdout', { rows: 1e6, seed: 3 }, out);
      const read = (await loadInputs([out], {})).tables[0];
      expect(rowContents(read).sort()).toEqual(rowContents(takeRows(inMemory, split.holdout)).sort());
    } finally {
      await source.close();
    }
  });
});

/**
 * Files gesalp's reader reads and a careless DuckDB reading would not read the same way: each row
 * must land on the side `splitRows` gives it (counts and the holdout's rows), or the file is
 * refused with a usage error; never a silent difference.
 */
describe('file split of hostile files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gesalp-hostile-it's-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `rows` data lines from `line(i)`, after `header`, joined by `eol`. */
  const file = (header: string, line: (i: number) => string, eol = '\n', rows = 120) =>
    [header, ...Array.from({ length: rows }, (_, i) => line(i))].join(eol) + eol;

  async function expectSameSides(name: string, text: string, dialect: DialectRequest = {}): Promise<void> {
    const path = join(dir, name);
    writeFileSync(path, text);
    const table = (await loadInputs([path], { dialect })).tables[0];
    const split = splitRows(table, SPLIT);
    expect(split.holdout.length).toBeGreaterThan(5);
    const source = await openFileStatistics(path, { split: SPLIT, dialect });
    try {
      expect(source.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
      expect(await sideCounts(source.connection, SPLIT)).toEqual({
        rows: table.rowCount,
        train: split.train.length,
        holdout: split.holdout.length,
      });
      const out = join(dir, `${name}.holdout.csv`);
      const columns = table.columns.map((c) => c.name);
      await writeSideSample(source.connection, columns, SPLIT, 'holdout', { rows: 1e6, seed: 3 }, out);
      const read = (await loadInputs([out], {})).tables[0];
      expect(rowContents(read).sort()).toEqual(rowContents(takeRows(table, split.holdout)).sort());
    } finally {
      await source.close();
    }
  }

  it('quoted fields with the delimiter, newlines and doubled quotes, CRLF line ends', async () => {
    const text = file(
      'id,note,city',
      (i) =>
        `${i},"${['a, b', 'two\nlines', 'say ""hi""', 'plain', '"", x'][i % 5]} ${i % 7}",${['Oslo', '"Lima, PE"'][i % 2]}`,
      '\r\n',
    );
    await expectSameSides('quoted.csv', text);
  });

  it('a UTF-8 byte order mark', async () => {
    await expectSameSides('bom.csv', `\ufeff${file('name,size', (i) => `é${i % 9},${i % 13}`)}`);
  });

  it("a ';' delimiter (decimal point), with ',' inside the cells", async () => {
    await expectSameSides(
      'semicolon.csv',
      file('a;b;c', (i) => `${i % 11}.5;x, ${i % 4};"p;${i}"`),
    );
  });

  it('columns named like SQL keywords and with a double quote, a path with a single quote', async () => {
    await expectSameSides(
      "o'brien.csv",
      file('select,order,"we""ird",from', (i) => `${i},${i % 5},q${i % 3},${i % 2}`),
    );
  });

  it("cells with spaces around them, a ' quote, missing markers", async () => {
    await expectSameSides(
      'spaces.csv',
      file('k,v,w', (i) => ` ${i % 6} ,'x ${i}, y', ${['NA', '', '?', 'b'][i % 4]}`),
    );
  });

  it("the delimiter asked for (--delimiter ';') where ',' would be sniffed", async () => {
    const text = file('a,b;c', (i) => `${i},x${i % 3};y${i % 5}`);
    await expectSameSides('asked.csv', text, { delimiter: ';' });
  });

  it('numbers with a decimal comma are refused, not read apart from the in-memory reader', async () => {
    const path = join(dir, 'comma.csv');
    writeFileSync(
      path,
      file('a;b', (i) => `${i},5;x${i % 3}`),
    );
    await expect(openFileStatistics(path, { split: SPLIT })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('decimal comma'),
    });
  });
});
