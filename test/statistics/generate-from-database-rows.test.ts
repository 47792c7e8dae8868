/**
 * generateFromDatabase's rows (SPEC section 10): up to CHUNK_ROWS written whole, as before chunks
 * existed; past it sampled and written a chunk at a time to `out` (a temporary file renamed into
 * place once every row is in) or the `rows` hook, chunk 0 with the run's seed and each later chunk
 * with its own. The budget is spent before the first row leaves: a failure or Ctrl-C before that
 * gives it back, one while writing keeps it spent and leaves no output file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateFromDatabase,
  type GenerateFromDatabaseHooks,
  type GenerateFromDatabaseOptions,
} from '../../src/api/generate-from-database.js';
import { tableToCsv } from '../../src/core/io/write-csv.js';
import { parseMetadata } from '../../src/core/schema/metadata.js';
import { CHUNK_ROWS } from '../../src/pipeline/chunked-output.js';
import { availableEngines, HOSPITAL_METADATA, type Engine } from '../helpers/engines.js';

const METADATA = parseMetadata(JSON.stringify(HOSPITAL_METADATA), 'metadata.json');

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
const auditLines = (path: string) => lines(path).map((l) => JSON.parse(l));
/** Epsilon spent over the ledger's targets (0 with no ledger yet). */
const spent = (ledger: string): number =>
  existsSync(ledger)
    ? Object.values(JSON.parse(readFileSync(ledger, 'utf8')).targets as Record<string, { spent: number }>).reduce(
        (sum, t) => sum + t.spent,
        0,
      )
    : 0;

describe('generateFromDatabase rows, whole or a chunk at a time', () => {
  const { engines, skipped } = availableEngines();
  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (_, engine: Engine) => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-dbrows-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A short AIM run over three declared columns, its audit log and ledger named after `name`. */
    const run = (name: string, options: Partial<GenerateFromDatabaseOptions>, hooks: GenerateFromDatabaseHooks = {}) =>
      generateFromDatabase(
        {
          connection: { client: engine.client, connection: engine.connection, password: engine.password },
          table: 'patient_records',
          columns: ['age', 'sex', 'insurance'],
          params: { rounds_per_column: 2, iterations: 20, final_iterations: 50 },
          metadata: METADATA,
          seed: 11,
          user: 'test',
          audit_log: join(dir, `${name}.audit.jsonl`),
          ledger: join(dir, `${name}.ledger.json`),
          ...options,
        },
        hooks,
      );
    const noTemporaryFile = () => expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    it('writes a run of at most a chunk whole: the file is the returned rows as the whole write gave them', async () => {
      const held = await run('whole', { rows: CHUNK_ROWS });
      expect(held.streamed).toBe(false);
      expect(held.table.rowCount).toBe(CHUNK_ROWS);
      // What the CLI wrote before chunks existed: the whole sample as one CSV text.
      expect(held.csv).toBe(tableToCsv(held.table));
      const out = join(dir, 'whole.csv');
      const written = await run('whole', { rows: CHUNK_ROWS, out });
      expect(readFileSync(out, 'utf8')).toBe(held.csv);
      expect(written.metadata).toMatchObject({ rows: CHUNK_ROWS, chunk_rows: null });
      noTemporaryFile();
    });

    it('writes every row past a chunk, a chunk at a time: one header, fresh chunks, the same file for the same seed', async () => {
      const out = join(dir, 'chunks.csv');
      const result = await run('chunks', { rows: 120_000, out });
      expect(result.streamed).toBe(true);
      expect(result.csv).toBe('');
      expect(result.table.rowCount).toBe(CHUNK_ROWS);
      expect(result.metadata).toMatchObject({ rows: 120_000, chunk_rows: CHUNK_ROWS });
      const file = lines(out);
      expect(file).toHaveLength(120_001);
      expect(file.filter((l) => l === 'age,sex,insurance')).toEqual(['age,sex,insurance']);
      expect(file.slice(1).every((l) => l.split(',').length === 3)).toBe(true);
      // Chunk 0 is the run's seed's sample, the rows a run of one chunk writes; the others are fresh draws.
      const whole = lines(join(dir, 'whole.csv'));
      expect(file.slice(0, CHUNK_ROWS + 1)).toEqual(whole);
      const chunk = (k: number) => file.slice(1 + k * CHUNK_ROWS, 1 + k * CHUNK_ROWS + 20_000).join('\n');
      expect(chunk(1)).not.toBe(chunk(0));
      expect(chunk(2)).not.toBe(chunk(0));
      expect(chunk(2)).not.toBe(chunk(1));
      const again = join(dir, 'chunks-again.csv');
      await run('chunks', { rows: 120_000, out: again });
      expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
      const last = auditLines(join(dir, 'chunks.audit.jsonl')).pop();
      expect(last).toMatchObject({ event: 'generate', rows: 120_000, chunk_rows: CHUNK_ROWS });
      noTemporaryFile();
    });

    it('streams past a chunk to the rows hook as the file gets them', async () => {
      let text = '';
      const result = await run('hook', { rows: 120_000 }, { rows: (piece) => void (text += piece) });
      expect(result.streamed).toBe(true);
      expect(text).toBe(readFileSync(join(dir, 'chunks.csv'), 'utf8'));
    });

    it('refuses, without out or the rows hook, more cells than one run holds, before anything is charged', async () => {
      const ledger = join(dir, 'held.ledger.json');
      let queries = 0;
      await expect(
        run('held', { rows: 20_000_000, epsilon: 1 }, { onQuery: () => void queries++ }),
      ).rejects.toMatchObject({
        kind: 'usage',
        option: 'out',
        message: expect.stringMatching(/holds at most 50,000,000/),
        hint: expect.stringMatching(/give out: the rows are then written a chunk at a time/),
      });
      expect(queries).toBe(0);
      expect(spent(ledger)).toBe(0);
    });

    it('refuses past the cells one run writes with advice a table can follow (another run, not a saved model)', async () => {
      const ledger = join(dir, 'written.ledger.json');
      await expect(
        run('written', { rows: 400_000_000, epsilon: 1, out: join(dir, 'written.csv') }),
      ).rejects.toMatchObject({
        kind: 'usage',
        message: expect.stringMatching(/samples at most 1,000,000,000/),
        hint: expect.stringMatching(/run again with another seed for more \(each run is charged to the ledger\)/),
      });
      expect(spent(ledger)).toBe(0);
      expect(existsSync(join(dir, 'written.csv'))).toBe(false);
    });

    it('keeps the budget spent when writing stops part way, and leaves no output file', async () => {
      const out = join(dir, 'stopped.csv');
      const ledger = join(dir, 'stopped.ledger.json');
      const stop = new AbortController();
      // Ctrl-C once the temporary file holds rows: the writer stops before its next chunk.
      const watch = setInterval(() => {
        if (readdirSync(dir).some((f) => f.startsWith('.stopped.csv.'))) stop.abort();
      }, 1);
      try {
        await expect(run('stopped', { rows: 500_000, out, epsilon: 1 }, { signal: stop.signal })).rejects.toMatchObject(
          { kind: 'interrupted', message: expect.stringMatching(/while writing the rows/) },
        );
      } finally {
        clearInterval(watch);
      }
      expect(existsSync(out)).toBe(false);
      noTemporaryFile();
      expect(spent(ledger)).toBeCloseTo(1, 12);
      const last = auditLines(join(dir, 'stopped.audit.jsonl')).pop();
      expect(last).toMatchObject({
        event: 'failed',
        budget: { targets: [expect.objectContaining({ spent_after: 1 })] },
      });
    });

    it('refuses an output it cannot write, or the ledger as the output, before anything is reserved', async () => {
      const ledger = join(dir, 'unwritable.ledger.json');
      const out = join(dir, 'no-such-folder', 'rows.csv');
      await expect(run('unwritable', { rows: 1000, out, epsilon: 1 })).rejects.toThrow(/no-such-folder.*missing/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(ledger)).toBe(false);
      await expect(run('unwritable', { rows: 1000, out: ledger, epsilon: 1 })).rejects.toMatchObject({
        kind: 'usage',
      });
      expect(existsSync(ledger)).toBe(false);
    });

    it('gives the budget back at Ctrl-C before any row is written', async () => {
      const ledger = join(dir, 'early.ledger.json');
      const out = join(dir, 'early.csv');
      const stop = new AbortController();
      // Ctrl-C during the fit, at its first statistics query.
      const result = run(
        'early',
        { rows: 120_000, out, epsilon: 1 },
        { signal: stop.signal, onQuery: () => stop.abort() },
      );
      await expect(result).rejects.toMatchObject({
        kind: 'interrupted',
        message: expect.stringMatching(/nothing is charged/),
      });
      expect(existsSync(out)).toBe(false);
      expect(spent(ledger)).toBe(0);
      expect(auditLines(join(dir, 'early.audit.jsonl')).pop()).toMatchObject({ event: 'failed' });
    });
  });
});
