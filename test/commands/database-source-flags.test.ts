import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateCommand } from '../../src/commands/generate.js';
import { runDatabaseGenerate } from '../../src/commands/database-source-flags.js';
import type { Io } from '../../src/commands/io.js';
import { HOSPITAL_DB } from '../helpers/engines.js';

const SCHEMA = {
  gesalp_metadata: 1,
  columns: {
    age: { kind: 'integer', min: 0, max: 110 },
    sex: { kind: 'categorical', categories: ['F', 'M'] },
    insurance: { kind: 'categorical', categories: ['public', 'private', 'none'] },
  },
};

describe('generate --client (database-source-flags)', () => {
  let dir: string;
  let stdout = '';
  let stderr = '';
  const io = (): Io => ({
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    stdin: Readable.from([]),
    env: { XDG_STATE_HOME: join(dir, 'state') },
    cwd: dir,
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-dbflags-'));
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(SCHEMA));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is part of generate's options, without a clash with generate's own", () => {
    const names = generateCommand(io(), () => undefined).options.map((o) => o.long);
    for (const flag of ['--client', '--connection', '--table']) expect(names).toContain(flag);
    expect(new Set(names).size).toBe(names.length);
  });

  it('writes synthetic rows and the run metadata, the audit log and ledger in the state folder', async () => {
    const code = await runDatabaseGenerate(
      io(),
      undefined,
      {
        client: 'sqlite',
        connection: HOSPITAL_DB,
        table: 'patient_records',
        columns: ['age', 'sex', 'insurance'],
        method: 'aim',
        epsilon: 1,
        schema: 'schema.json',
        rows: 500,
        out: 'out.csv',
        timeout: 60000,
        json: true,
        seed: 3,
        color: false,
      } as never,
      true,
    );
    expect(code).toBe(0);
    const lines = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('age,sex,insurance');
    expect(lines).toHaveLength(501);
    const metadata = JSON.parse(stdout);
    expect(metadata).toMatchObject({ table: 'main.patient_records', rows: 500, chunk_rows: null, method: 'aim' });
    expect(metadata.privacy.epsilon).toBe(1);
    const audit = readFileSync(join(dir, 'state', 'gesalp', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(audit.length).toBe(metadata.statistics_queries + 1);
    const ledger = JSON.parse(readFileSync(join(dir, 'state', 'gesalp', 'budget-ledger.json'), 'utf8'));
    expect(Object.values(ledger.targets)).toEqual([expect.objectContaining({ spent: 1 })]);
  });

  it('refuses a method that trains on rows, and INPUT with --client (exit 2)', async () => {
    const base = { client: 'sqlite', connection: HOSPITAL_DB, table: 'patient_records', timeout: 1000, color: false };
    await expect(
      runDatabaseGenerate(io(), undefined, { ...base, method: 'ddpm' } as never, false),
    ).rejects.toMatchObject({
      exitCode: 2,
    });
    await expect(runDatabaseGenerate(io(), 'x.csv', { ...base, method: 'aim' } as never, false)).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});
