/**
 * generate past a chunk's rows, with the fake synthesizer: the rows go to the sink a chunk at a
 * time, each chunk post-processed as a whole run's rows are (constraints, --condition, fresh
 * identifiers, levels), and the result holds only the first chunk. Without a sink the rows come
 * back whole, as before chunks existed.
 */
import { describe, expect, it } from '@jest/globals';
import { GesalpError } from '../../src/core/errors.js';
import { parseMetadata } from '../../src/core/schema/metadata.js';
import type { Table } from '../../src/core/table.js';
import type { SampleOptions, SampleResult } from '../../src/models/synthesizer.js';
import { CHUNK_ROWS } from '../../src/pipeline/chunked-output.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { FakeSynthesizer } from '../helpers/fake-synthesizer.js';
import { fakeTable, requestDefaults } from '../helpers/generate-request.js';
import { numeric } from '../helpers/tables.js';

const REAL_ROWS = 300;

/** The fake, steered by --condition: each value's rows hold it. */
class Conditioned extends FakeSynthesizer {
  override async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const condition = options.condition;
    if (!condition) return super.sample(rows, options);
    const parts: Table[] = [];
    for (const [v, value] of condition.values.entries()) {
      const part = (await super.sample(rows, { ...options, seed: options.seed + v })).table;
      const column = part.columns.find((c) => c.name === condition.column) as { codes: Int32Array; levels: string[] };
      column.codes.fill(column.levels.indexOf(value));
      parts.push(part);
    }
    const { appendTables } = await import('../../src/models/rejection-sampling.js');
    return { table: appendTables(parts), checks: [] };
  }
}

/** The fake table with a sequential key column in front (set aside, and kept with fresh values when asked). */
function realTable(): Table {
  const rows = fakeTable(REAL_ROWS);
  const id = numeric(
    'customer_id',
    Array.from({ length: REAL_ROWS }, (_, i) => i + 1),
  );
  return { rowCount: REAL_ROWS, columns: [id, ...rows.columns] };
}

function request(rows: number, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows: REAL_ROWS, columns: 4, bytes: 1, sha256: 'f'.repeat(64) },
    schema: {
      columns: ['customer_id', 'x', 'y', 'c'].map((name) => ({
        name,
        kind: name === 'c' ? 'categorical' : 'numeric',
        reason: 'test',
      })),
    },
    rows,
    overrides: [{ name: 'n_iter', value: 300, source: 'test' }],
    create: async (_method, values) => new Conditioned(values),
    evaluate: false,
    ...overrides,
  };
}

/** Runs generate with a sink; the rows written, as lines of cells. */
async function streamed(rows: number, overrides: Partial<GenerateRequest> = {}) {
  let text = '';
  const infos: string[] = [];
  const result = await generate(
    realTable(),
    request(rows, { rowsSink: { write: (chunk) => void (text += chunk) }, ...overrides }),
    { info: (line) => infos.push(line) },
  );
  const [header, ...lines] = text.trimEnd().split('\n');
  return { result, text, header, cells: lines.map((line) => line.split(',')), infos };
}

describe('generate past a chunk of rows', () => {
  it('writes every row to the sink a chunk at a time, and holds only the first chunk', async () => {
    const rows = 2 * CHUNK_ROWS + 123;
    const { result, text, header, cells, infos } = await streamed(rows);
    expect(header).toBe('x,y,c');
    expect(cells).toHaveLength(rows);
    expect(result.csv).toBe('');
    expect(result.synthetic.rowCount).toBe(CHUNK_ROWS);
    expect(result.output).toMatchObject({ rows, chunkRows: CHUNK_ROWS, evaluatedRows: CHUNK_ROWS });
    expect(result.report.output).toMatchObject({ rows, chunk_rows: CHUNK_ROWS, evaluated_rows: CHUNK_ROWS });
    expect(result.output.bytes).toBe(Buffer.byteLength(text));
    expect(infos).toContain(
      `sampled and wrote ${rows.toLocaleString('en-US')} rows, ${CHUNK_ROWS.toLocaleString('en-US')} at a time; the metrics judge the first ${CHUNK_ROWS.toLocaleString('en-US')}`,
    );
    // The same seed writes the same bytes.
    expect((await streamed(rows)).text).toBe(text);
  });

  it('holds every chunk to the constraints, and reports them over every row drawn', async () => {
    const metadata = parseMetadata(
      JSON.stringify({ columns: {}, constraints: [{ type: 'positive', column: 'y' }] }),
      'm.json',
    );
    const rows = CHUNK_ROWS + 5000;
    const { result, cells, infos } = await streamed(rows, { metadata });
    expect(cells).toHaveLength(rows);
    expect(cells.every((row) => Number(row[1]) >= 0)).toBe(true);
    const record = result.report.constraints!;
    // About half of the fake's y are negative: every chunk drew about twice its rows.
    expect(record.rows_drawn - record.rows_rejected - record.rows_unused).toBe(rows);
    expect(record.constraints[0].held_share).toBeGreaterThan(0.4);
    expect(record.constraints[0].held_share).toBeLessThan(0.6);
    expect(infos.find((line) => line.startsWith('constraints:'))).toMatch(
      new RegExp(`of ${record.rows_drawn.toLocaleString('en-US')} sampled rows`),
    );
  });

  it('samples -n rows of each condition value, chunk by chunk', async () => {
    const rows = CHUNK_ROWS;
    const { result, cells } = await streamed(rows, { condition: { column: 'c', values: ['a', 'b'] } });
    expect(cells).toHaveLength(2 * rows);
    expect(cells.filter((row) => row[2] === 'a')).toHaveLength(rows);
    expect(cells.filter((row) => row[2] === 'b')).toHaveLength(rows);
    // A chunk counts the rows of every value: the first holds half a chunk of each.
    expect(result.synthetic.rowCount).toBe(CHUNK_ROWS);
    expect(result.report.output).toMatchObject({ rows: 2 * rows, chunk_rows: CHUNK_ROWS });
  });

  it('writes a kept key with fresh values, unique across chunks', async () => {
    const rows = CHUNK_ROWS + 10;
    const { header, cells } = await streamed(rows, { identifiers: { detect: true, keep: ['customer_id'] } });
    expect(header).toBe('customer_id,x,y,c');
    const ids = cells.map((row) => Number(row[0]));
    // The real keys run 1..300: the fresh ones continue after them.
    expect(ids[0]).toBe(REAL_ROWS + 1);
    expect(ids[rows - 1]).toBe(REAL_ROWS + rows);
    expect(new Set(ids).size).toBe(rows);
  });

  it('gives the rows back whole without a sink, as before chunks', async () => {
    const rows = CHUNK_ROWS + 10;
    const result = await generate(realTable(), request(rows));
    expect(result.synthetic.rowCount).toBe(rows);
    expect(result.csv.trimEnd().split('\n')).toHaveLength(rows + 1);
    expect(result.report.output).not.toHaveProperty('chunk_rows');
    expect(result.output.chunkRows).toBeNull();
  });

  it('refuses more rows than memory holds without a sink, naming where they could go', async () => {
    const refusal = await generate(realTable(), request(20_000_000)).catch((error: GesalpError) => error);
    expect(refusal).toBeInstanceOf(GesalpError);
    expect((refusal as GesalpError).message).toMatch(/60,000,000 cells; one run holds at most 50,000,000$/);
    expect((refusal as GesalpError).hint).toMatch(/or give out: the rows are then written a chunk at a time/);
  });
});
