/** The library's `out`: rows past a chunk go to the file a chunk at a time, and the result holds the first chunk. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/api/generate.js';
import { CHUNK_ROWS } from '../../src/pipeline/chunked-output.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
const dir = mkdtempSync(join(tmpdir(), 'gesalp-api-streamed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generate (the library) with out', () => {
  const rows = CHUNK_ROWS + 1000;
  const model = join(dir, 'model');
  const options = { load_model: model, rows, seed: 1, evaluate: false } as const;
  beforeAll(async () => {
    await generate(PENGUINS, { method: 'aim', rows: 10, seed: 1, save_model: model });
  });

  it('writes rows past a chunk to the file in chunks and returns the first chunk alone', async () => {
    const out = join(dir, 'rows.csv');
    const result = await generate(PENGUINS, { ...options, out });
    expect(result.streamed).toBe(true);
    expect(result.csv).toBe('');
    expect(result.synthetic.rowCount).toBe(CHUNK_ROWS);
    expect(result.report.output).toMatchObject({ path: out, rows, chunk_rows: CHUNK_ROWS, evaluated_rows: CHUNK_ROWS });
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(rows + 1);
    expect(readdirSync(dir).sort()).toEqual(['model', 'rows.csv']);
  });

  it('returns the rows whole without out, and writes them whole with it below a chunk', async () => {
    const whole = await generate(PENGUINS, options);
    expect(whole.streamed).toBe(false);
    expect(whole.synthetic.rowCount).toBe(rows);
    const out = join(dir, 'small.csv');
    const small = await generate(PENGUINS, { ...options, rows: 100, out });
    expect(small.streamed).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe(small.csv);
  });
});
