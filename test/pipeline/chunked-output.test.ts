import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createRng } from '../../src/core/rng.js';
import { tableToCsv } from '../../src/core/io/write-csv.js';
import { appendTables } from '../../src/models/rejection-sampling.js';
import type { Table } from '../../src/core/table.js';
import type { SampleOptions, SampleResult, Synthesizer } from '../../src/models/synthesizer.js';
import {
  CHUNK_ROWS,
  chunkPlan,
  chunkSeed,
  mergeConstraints,
  writeChunks,
  type ChunkPlan,
} from '../../src/pipeline/chunked-output.js';
import type { ConstraintsRecord } from '../../src/pipeline/constrained-sampling.js';
import { freshIdentifierColumns, type SetAside } from '../../src/pipeline/identifier-columns.js';
import { categorical, numeric } from '../helpers/tables.js';

const DAY = 86400;

/** Rows drawn from the seed alone: a value, a category and a date (a time of day only where `offMidnight` says). */
class SeededRows implements Synthesizer {
  readonly method = 'ddpm';
  readonly params = {};
  readonly training = null;
  readonly seeds: number[] = [];
  constructor(private readonly offMidnight = new Set<number>()) {}
  columnNames = () => ['x', 'c', 'when'];
  fit = () => Promise.reject(new Error('not trained here'));
  save = () => Promise.resolve();
  dispose = () => undefined;
  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    this.seeds.push(options.seed);
    const rng = createRng(options.seed);
    const x = Array.from({ length: rows }, () => Math.round(rng.next() * 1000) / 10);
    const c = Array.from({ length: rows }, () => rng.int(3));
    const time = this.offMidnight.has(options.seed) ? 3600 : 0;
    const when = Array.from({ length: rows }, () => (18000 + rng.int(400)) * DAY + time);
    const table: Table = {
      rowCount: rows,
      columns: [
        numeric('x', x),
        categorical('c', c, ['a', 'b, with a comma', '=1+2']),
        { name: 'when', kind: 'datetime', values: Float64Array.from(when) },
      ],
    };
    return { table, checks: [] };
  }
}

/** Writes `plan` from `model` into a string; the first chunk as the attempt drew it (the run's seed). */
async function written(model: Synthesizer, plan: ChunkPlan, seed = 7, identifiers = (t: Table) => t) {
  const first = (await model.sample(plan.first, { seed })).table;
  let text = '';
  const result = await writeChunks(
    {
      model,
      plan,
      first,
      firstConstraints: null,
      seed,
      constraints: [],
      reference: first,
      identifiers,
      signal: new AbortController().signal,
    },
    { write: (chunk) => void (text += chunk) },
  );
  return { text, result, first };
}

describe('chunkPlan', () => {
  it('samples every row at once up to a chunk, and past it the first chunk, the rest in chunks', () => {
    expect(chunkPlan(CHUNK_ROWS, 1)).toEqual({ first: CHUNK_ROWS, perChunk: null, total: CHUNK_ROWS });
    expect(chunkPlan(CHUNK_ROWS + 1, 1)).toEqual({ first: CHUNK_ROWS, perChunk: CHUNK_ROWS, total: CHUNK_ROWS + 1 });
    // A chunk counts the rows of every condition value.
    const perValue = Math.ceil(CHUNK_ROWS / 3);
    expect(chunkPlan(10 * CHUNK_ROWS, 3)).toEqual({ first: perValue, perChunk: perValue, total: 10 * CHUNK_ROWS });
  });

  it("gives the first chunk the run's seed and every other chunk a seed of its own", () => {
    expect(chunkSeed(5, 0)).toBe(5);
    const seeds = Array.from({ length: 50 }, (_, k) => chunkSeed(5, k + 1));
    expect(new Set(seeds).size).toBe(50);
    expect(seeds).not.toContain(5);
    expect(chunkSeed(6, 1)).not.toBe(chunkSeed(5, 1));
  });
});

describe('writeChunks', () => {
  const plan: ChunkPlan = { first: 4, perChunk: 4, total: 10 };

  it('writes the header once, the first chunk as sampled, then chunks of fresh rows, with their hash and size', async () => {
    const model = new SeededRows();
    const { text, result, first } = await written(model, plan);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('x,c,when');
    expect(lines).toHaveLength(1 + 10);
    // The first chunk is the rows a run of 4 would write, byte for byte.
    expect(lines.slice(0, 5).join('\n') + '\n').toBe(tableToCsv(first));
    expect(model.seeds).toEqual([7, chunkSeed(7, 1), chunkSeed(7, 2)]);
    expect(result.output).toEqual({
      rows: 10,
      columns: 3,
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      chunkRows: 4,
      evaluatedRows: 4,
      seconds: expect.any(Number),
    });
    // Quoting holds in every chunk; the formula-like level is counted wherever it is written.
    const cells = lines.slice(1).map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    expect(cells.every((row) => row.length === 3)).toBe(true);
    expect(result.formulas).toBe(cells.filter((row) => row[1] === '=1+2').length);
  });

  it('writes the same bytes for the same seed, and other bytes for another', async () => {
    const a = await written(new SeededRows(), plan);
    const b = await written(new SeededRows(), plan);
    const c = await written(new SeededRows(), plan, 8);
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });

  it('keeps a date column as the first chunk wrote it, and a later time of day in full', async () => {
    const { text } = await written(new SeededRows(new Set([chunkSeed(7, 2)])), plan);
    const dates = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(line.lastIndexOf(',') + 1));
    expect(dates.slice(0, 8).every((d) => /^\d{4}-\d\d-\d\d$/.test(d))).toBe(true);
    expect(dates.slice(8).every((d) => /^\d{4}-\d\d-\d\dT01:00:00Z$/.test(d))).toBe(true);
  });

  it('gives a kept identifier fresh values unique across chunks: those one call for every row gives', async () => {
    const real = Array.from({ length: 60 }, (_, i) => `AB-${String(1000 + i * 7)}`);
    const aside: SetAside = {
      table: { rowCount: 60, columns: [] },
      records: [],
      kept: [
        {
          finding: { column: 'code', kind: 'identifier', rule: 'test' },
          index: 0,
          real: categorical(
            'code',
            real.map((_, i) => i),
            real,
          ),
        },
      ],
      said: [],
    };
    const { text } = await written(new SeededRows(), plan, 7, freshIdentifierColumns(aside, 3, plan.total));
    const codes = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(new Set(codes).size).toBe(10);
    expect(codes.some((code) => real.includes(code))).toBe(false);
    const whole = freshIdentifierColumns(aside, 3, 10)((await new SeededRows().sample(10, { seed: 1 })).table);
    const column = whole.columns[0] as { codes: Int32Array; levels: string[] };
    expect(codes).toEqual(Array.from(column.codes, (code) => column.levels[code]));
  });

  it('continues sequential keys across chunks', async () => {
    const aside: SetAside = {
      table: { rowCount: 5, columns: [] },
      records: [],
      kept: [
        {
          finding: { column: 'id', kind: 'identifier', rule: 'test' },
          index: 1,
          real: numeric('id', [1, 2, 3, 4, 5]),
        },
      ],
      said: [],
    };
    const fresh = freshIdentifierColumns(aside, 3, 9);
    const rows = (n: number) => ({ rowCount: n, columns: [numeric('x', new Array(n).fill(0))] });
    const ids = [fresh(rows(4)), fresh(rows(5))].flatMap((t) =>
      Array.from((t.columns[1] as { values: Float64Array }).values),
    );
    expect(ids).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('holds a chunked run to the same rows as the chunks appended', async () => {
    const model = new SeededRows();
    const { text } = await written(model, plan);
    const parts = await Promise.all(
      [7, chunkSeed(7, 1), chunkSeed(7, 2)].map(async (seed, k) => (await model.sample(k < 2 ? 4 : 2, { seed })).table),
    );
    expect(text).toBe(tableToCsv(appendTables(parts)));
  });
});

describe('mergeConstraints', () => {
  it('adds the counts and takes each share over every row drawn', () => {
    const record = (drawn: number, broken: number): ConstraintsRecord => ({
      rows_drawn: drawn,
      rows_rejected: broken,
      rows_unused: 1,
      constraints: [{ type: 'inequality', rule: 'a < b', held_share: 1 - broken / drawn, rows_broken: broken }],
    });
    expect(mergeConstraints(record(100, 10), record(300, 2))).toEqual({
      rows_drawn: 400,
      rows_rejected: 12,
      rows_unused: 2,
      constraints: [{ type: 'inequality', rule: 'a < b', held_share: 0.97, rows_broken: 12 }],
    });
  });
});
