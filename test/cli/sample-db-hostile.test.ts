/**
 * sample-db against a hostile user (issue 14): what is released, what is charged, how the ledger
 * names a target, concurrency, the audit log and the output paths. SQLite always; the server
 * spellings also on PostgreSQL and MySQL/MariaDB when their test servers are configured.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gesalp, type CliResult } from '../helpers/cli.js';
import { availableEngines, HOSPITAL_DB, HOSPITAL_SAMPLE_DB } from '../helpers/engines.js';

const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const AGE = ['--columns', 'age', '--epsilon', '1', '--sensitive', 'age', '--bounds', 'age=0:110', '--limit', '5'];

describe('gesalp sample-db against a hostile user', () => {
  let dir: string;
  let ledger: string;
  let audit: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-hostile-'));
    ledger = join(dir, 'ledger.json');
    audit = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite = (args: string[], options: { cwd?: string; db?: string } = {}): CliResult =>
    gesalp(
      [
        'sample-db',
        '--client',
        'sqlite',
        '--connection',
        options.db ?? HOSPITAL_DB,
        '--table',
        'patient_records',
        '--ledger',
        ledger,
        '--audit-log',
        audit,
        ...args,
      ],
      { cwd: options.cwd },
    );
  const auditLines = () =>
    readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const ledgerSpent = () =>
    Object.values(JSON.parse(readFileSync(ledger, 'utf8')).targets as Record<string, { spent: number }>).map(
      (t) => t.spent,
    );

  describe('what is released and charged', () => {
    it.each([
      ['--epsilon without --sensitive', ['--epsilon', '1'], /--epsilon without --sensitive would protect nothing/],
      ['--budget without --epsilon', ['--budget', '3'], /--budget without --sensitive would protect nothing/],
      ['no privacy and no --raw', [], /no column is protected/],
      ['--raw with --epsilon', ['--raw', '--epsilon', '1', '--sensitive', 'age'], /--raw .* cannot go with/],
    ])('refuses %s with exit 2, a hint, no rows and a logged refusal', (_, args, message) => {
      const out = join(dir, 'rows.csv');
      const r = sqlite([...args, '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/To fix this: .*(--sensitive|--raw)/);
      expect(existsSync(out)).toBe(false);
      expect(auditLines().at(-1)).toMatchObject({ event: 'refused', exit_code: 2 });
    });

    it('releases raw rows only with --raw, and the metadata and the audit log record it', () => {
      const metadata = join(dir, 'meta.json');
      const r = sqlite(['--raw', '--limit', '3', '-o', join(dir, 'rows.csv'), '--metadata', metadata]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: column 'id' looks like an identifier/);
      const meta = JSON.parse(readFileSync(metadata, 'utf8'));
      expect(meta).toMatchObject({ release: 'raw', privacy: { release: 'raw' }, budget: null });
      expect(meta.raw_columns).toContain('age');
      expect(auditLines().at(-1)).toMatchObject({ event: 'sample', release: 'raw' });
    });

    it.each([
      ['--columns age,age', ['--columns', 'age,age']],
      ['--columns age x 200', ['--columns', Array(200).fill('age').join(',')]],
      ['--sensitive age,age', ['--columns', 'age', '--sensitive', 'age,age']],
    ])('refuses a column named twice (%s) with exit 2: columns are a set', (_, args) => {
      const r = sqlite([...args, '--epsilon', '1', '--sensitive', 'age', '--bounds', 'age=0:110']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/names 'age' more than once/);
      expect(existsSync(ledger)).toBe(false);
    });

    it.each([
      ['an infinite high bound', ['--sensitive', 'age', '--bounds', 'age=0:1e400'], /finite/],
      ['low equal to high', ['--sensitive', 'age', '--bounds', 'age=5:5'], /low bound must be below/],
      ['bounds on a text column', ['--sensitive', 'sex', '--bounds', 'sex=0:1'], /not a numeric one/],
      ['a domain on a numeric column', ['--sensitive', 'age', '--domain', 'age=1,2,3'], /numeric \(INTEGER\) column/],
      ['--delta 1', ['--sensitive', 'sex', '--delta', '1'], /\(0, 1\)/],
    ])('refuses %s with exit 2 and writes nothing', (_, args, message) => {
      const out = join(dir, 'rows.csv');
      const r = sqlite(['--epsilon', '1', ...args, '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  });

  describe('the ledger', () => {
    it('charges one budget for every spelling of one SQLite database and table', () => {
      const data = join(dir, 'data');
      mkdirSync(data);
      const db = join(data, 'hospital.db');
      copyFileSync(HOSPITAL_DB, db);
      symlinkSync(db, join(dir, 'link.db'));
      linkSync(db, join(dir, 'hard.db'));
      const first = sqlite([...AGE, '--budget', '1'], { cwd: dir, db: './data/hospital.db' });
      expect(first.code).toBe(0);
      const spellings: [string, string[]][] = [
        [db, []],
        ['link.db', []],
        ['hard.db', []],
        [`../${basename(dir)}/data/hospital.db`, []],
        ['./data/hospital.db', ['--table', 'PATIENT_RECORDS']],
      ];
      for (const [spelling, extra] of spellings) {
        const r = sqlite([...AGE, '--budget', '1', ...extra], { cwd: dir, db: spelling });
        expect({ spelling, code: r.code }).toEqual({ spelling, code: 5 });
        expect(r.stderr).toMatch(/spent 1 \+ this query 1 > budget 1/);
      }
      expect(ledgerSpent()).toEqual([1]);
    });

    it('lets exactly floor(budget / epsilon) of many parallel queries through', async () => {
      const parallel = 6;
      const runs = await Promise.all(
        Array.from(
          { length: parallel },
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const child = spawn(
                process.execPath,
                [BIN, ...HOSPITAL_SAMPLE_DB, ...AGE, '--budget', '3', '--ledger', ledger, '--audit-log', audit, '-q'],
                { stdio: ['ignore', 'ignore', 'pipe'] },
              );
              let stderr = '';
              child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
              child.on('close', (code) => resolve({ code, stderr }));
            }),
        ),
      );
      // Any other ending is shown with what the run said, so that a failure explains itself.
      expect(runs.filter((r) => r.code !== 0 && r.code !== 5)).toEqual([]);
      expect(runs.filter((r) => r.code === 0)).toHaveLength(3);
      expect(runs.filter((r) => r.code === 5)).toHaveLength(parallel - 3);
      expect(ledgerSpent()).toEqual([3]);
      const events = auditLines().map((l) => l.event);
      expect(events.filter((e) => e === 'sample')).toHaveLength(3);
      expect(events.filter((e) => e === 'refused')).toHaveLength(parallel - 3);
      expect(gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger]).code).toBe(0);
    }, 120000);

    it('refuses with exit 3, naming the file, a ledger whose spend is not a number', () => {
      writeFileSync(
        ledger,
        JSON.stringify({
          version: 1,
          targets: { [`sqlite:${HOSPITAL_DB}/main.patient_records`]: { spent: 'abc', queries: [] } },
        }),
      );
      const out = join(dir, 'rows.csv');
      const r = sqlite([...AGE, '--budget', '100', '-o', out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(ledger);
      expect(r.stderr).toMatch(/spent is not a number/);
      expect(existsSync(out)).toBe(false);
    });
  });

  describe('outputs', () => {
    it.each([
      ['-o naming the audit log', () => ['-o', audit], '-o'],
      ['--metadata naming the ledger', () => ['--metadata', ledger], '--metadata'],
      ['-o naming the database', () => ['-o', HOSPITAL_DB], '-o'],
      ['-o and --metadata naming one file', () => ['-o', join(dir, 'x'), '--metadata', join(dir, 'x')], '--metadata'],
      ['-o as a hard link to the audit log', () => (linkSync(audit, join(dir, 'h')), ['-o', join(dir, 'h')]), '-o'],
    ])('refuses %s with exit 2 before any work, leaving the file as it was', (_, args, role) => {
      expect(sqlite([...AGE]).code).toBe(0);
      const before = readFileSync(audit, 'utf8');
      const dbBefore = readFileSync(HOSPITAL_DB);
      const r = sqlite([...AGE, ...args()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${role} .* is the same file as`));
      expect(readFileSync(audit, 'utf8')).toBe(before);
      expect(readFileSync(HOSPITAL_DB).equals(dbBefore)).toBe(true);
    });

    it('refuses an audit log on the database or the ledger (exit 2)', () => {
      const r = sqlite([...AGE, '--audit-log', HOSPITAL_DB]);
      expect(r.code).toBe(2);
      const s = gesalp([...HOSPITAL_SAMPLE_DB, ...AGE, '--ledger', ledger, '--audit-log', ledger]);
      expect(s.code).toBe(2);
    });

    it.each([
      ['a dangling symbolic link', () => symlinkSync(join(dir, 'nowhere'), join(dir, 'log')), /symbolic link/],
      ['a folder', () => mkdirSync(join(dir, 'log')), /not a regular file|folder/],
    ])('refuses an audit log that is %s with exit 3', (_, make, message) => {
      make();
      audit = join(dir, 'log');
      const r = sqlite(AGE);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|unreadable last line/);
    });

    it('refuses /dev/null as the audit log with exit 3', () => {
      audit = '/dev/null';
      const r = sqlite(AGE);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/not a regular file|a device/);
    });
  });

  describe('the audit log', () => {
    it('detects with --verify-audit a log whose last lines were cut', () => {
      for (let i = 0; i < 3; i++) expect(sqlite(AGE).code).toBe(0);
      expect(gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger]).stdout).toMatch(
        /3 lines, hash chain intact, end matches its anchor/,
      );
      const lines = readFileSync(audit, 'utf8').split('\n');
      writeFileSync(audit, `${lines.slice(0, 2).join('\n')}\n`);
      const r = gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/line 3: .*the last lines were cut/);
    });

    it('keys the chain with --audit-key-file, refusing a key file others can read', () => {
      const key = join(dir, 'audit.key');
      writeFileSync(key, 'a secret key of 32 bytes, really');
      chmodSync(key, 0o640);
      const refused = sqlite([...AGE, '--audit-key-file', key]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/readable or writable by group or others.*\n.*chmod 600/);
      chmodSync(key, 0o600);
      expect(sqlite([...AGE, '--audit-key-file', key]).code).toBe(0);
      expect(auditLines()[0]).toMatchObject({ mac: 'hmac-sha256' });
      expect(gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger, '--audit-key-file', key]).code).toBe(0);
      const withoutKey = gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger]);
      expect(withoutKey.code).toBe(2);
      expect(withoutKey.stderr).toMatch(/--audit-key-file/);
    });

    it('logs an unknown table and an unknown column as failures, with their exit codes', () => {
      expect(sqlite(['--raw', '--table', 'no_such_table']).code).toBe(6);
      expect(sqlite(['--raw', '--columns', 'no_such_column']).code).toBe(3);
      expect(auditLines().map((l) => [l.event, l.exit_code])).toEqual([
        ['failed', 6],
        ['refused', 3],
      ]);
      expect(auditLines()[0].reason).toMatch(/no_such_table/);
    });
  });

  describe('connection failures', () => {
    it('print one line and a hint on stderr, nothing on stdout even with --json, and log the failure', () => {
      const r = gesalp(
        [
          'sample-db',
          '--client',
          'pg',
          '--connection',
          'postgres://nobody@127.0.0.1:1/none',
          '--password-env',
          'PW',
          '--table',
          't',
          '--raw',
          '--json',
          '-o',
          join(dir, 'rows.csv'),
          '--ledger',
          ledger,
          '--audit-log',
          audit,
        ],
        { env: { PW: 'secret-password-123' } },
      );
      expect(r.code).toBe(6);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^error: database error: connect ECONNREFUSED 127\.0\.0\.1:1$/),
        expect.stringMatching(
          /^ {2}To fix this: Check that the server is running and reachable at pg:\/\/nobody@127\.0\.0\.1:1\/none/,
        ),
      ]);
      expect(auditLines().at(-1)).toMatchObject({ event: 'failed', exit_code: 6 });
      expect(readFileSync(audit, 'utf8')).not.toContain('secret-password-123');
    });
  });
});

const { engines } = availableEngines();
const servers = engines.filter((e) => e.client !== 'sqlite');
// A loop, not describe.each: without database servers (CI's SQLite-only fallback) there is nothing to run.
for (const engine of servers) {
  const client = engine.client;
  describe(`gesalp sample-db ledger on ${client}`, () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-hostile-server-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('charges one budget for every spelling of the server, database and table', () => {
      const url = new URL(engine.connection);
      const schema = client === 'pg' ? 'public' : url.pathname.slice(1);
      const viaLocalhost = new URL(engine.connection);
      viaLocalhost.hostname = 'localhost';
      const run = (connection: string, table: string) =>
        gesalp([
          'sample-db',
          '--client',
          engine.client,
          '--connection',
          connection,
          '--password-env',
          engine.passwordEnv!,
          '--table',
          table,
          ...AGE,
          '--budget',
          '1',
          '--ledger',
          join(dir, 'ledger.json'),
          '--audit-log',
          join(dir, 'audit.jsonl'),
          '-q',
        ]);
      expect(run(engine.connection, 'patient_records').code).toBe(0);
      for (const [connection, table] of [
        [engine.connection, `${schema}.patient_records`],
        [viaLocalhost.toString(), 'patient_records'],
        [viaLocalhost.toString(), `${schema}.patient_records`],
      ]) {
        const r = run(connection, table);
        expect({ connection, table, code: r.code }).toEqual({ connection, table, code: 5 });
      }
      const ledger = JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8'));
      expect(Object.keys(ledger.targets)).toEqual([
        expect.stringMatching(new RegExp(`^${client}://.*/${schema}\\.patient_records$`)),
      ]);
    });
  });
}
