/**
 * sample-db against a hostile user, second round (issue 24): views, a password inside an audit
 * line, a log cut and renamed, keying decided by the log, a ledger naming a target twice, and the
 * amplified release (shuffled, client-sampled, refused without a size) through the binary.
 * SQLite always; views and an IPv6 address also on PostgreSQL and MySQL/MariaDB when configured.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import knexFactory from 'knex';
import { sampleDb } from '../../src/sample-db/sample-db.js';
import { gesalp, type CliResult } from '../helpers/cli.js';
import { availableEngines, HOSPITAL_DB } from '../helpers/engines.js';

const AGE = ['--columns', 'age', '--epsilon', '1', '--sensitive', 'age', '--bounds', 'age=0:110', '--limit', '3'];

describe('gesalp sample-db against a hostile user, second round', () => {
  let dir: string;
  let db: string;
  let ledger: string;
  let audit: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-round-two-db-'));
    db = join(dir, 'hospital.db');
    copyFileSync(HOSPITAL_DB, db);
    ledger = join(dir, 'ledger.json');
    audit = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sqlite = (args: string[], table = 'patient_records'): CliResult =>
    gesalp([
      'sample-db',
      '--client',
      'sqlite',
      '--connection',
      db,
      '--table',
      table,
      '--ledger',
      ledger,
      '--audit-log',
      audit,
      ...args,
    ]);
  const auditLines = (path = audit) =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const exec = (sql: string) => {
    const handle = new Database(db);
    handle.exec(sql);
    handle.close();
  };

  describe('views', () => {
    it('charges the tables a view reads, so a view is no second budget', () => {
      exec(
        'create view adults as select age, sex from patient_records where age >= 18; create view old_adults as select age from adults where age > 60',
      );
      expect(sqlite([...AGE, '--budget', '1']).code).toBe(0);
      for (const view of ['adults', 'old_adults']) {
        const r = sqlite([...AGE, '--budget', '1'], view);
        expect({ view, code: r.code }).toEqual({ view, code: 5 });
        expect(r.stderr).toMatch(/privacy budget exceeded for sqlite:.*\/main\.patient_records: spent 1/);
      }
      // And the other way round: a view's read is charged to its table.
      rmSync(ledger);
      const meta = JSON.parse(sqlite([...AGE, '--budget', '1', '--json', '-o', join(dir, 'v.csv')], 'adults').stdout);
      expect(meta).toMatchObject({
        target_key: expect.stringMatching(/\/main\.adults$/),
        charged_keys: [expect.stringMatching(/\/main\.patient_records$/)],
        view: { base_tables: ['main.patient_records'] },
      });
      expect(sqlite([...AGE, '--budget', '1']).code).toBe(5);
    });

    it('prints the accounting of --dry-run without reading a row, even of a view that fails when read', () => {
      // abs() of the smallest integer overflows: any row read fails; compiling the query does not.
      exec('create view boom as select cast(abs(-9223372036854775808) as integer) as age from patient_records');
      const dry = sqlite(['--columns', 'age', '--epsilon', '1', '--sensitive', 'age', '--dry-run', '--json'], 'boom');
      expect(dry.code).toBe(0);
      const meta = JSON.parse(dry.stdout);
      expect(meta.privacy.columns[0]).toMatchObject({
        bounds: 'estimated at run time',
        laplace_scale: expect.stringMatching(/set at run time/),
      });
      expect(sqlite(['--columns', 'age', '--epsilon', '1', '--sensitive', 'age'], 'boom').code).toBe(6);
    });
  });

  describe('the audit log', () => {
    it('logs a failure whose line holds the password (here the user name), redacting instead of refusing', () => {
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
          '--ledger',
          ledger,
          '--audit-log',
          audit,
        ],
        { env: { PW: 'nobody' } },
      );
      expect(r.code).toBe(6);
      expect(r.stderr).not.toMatch(/This is a bug|secret/);
      expect(auditLines().at(-1)).toMatchObject({
        event: 'failed',
        exit_code: 6,
        target: 'pg://nobody@127.0.0.1:1/none',
      });
    });

    it('always logs a budget refusal with exit 5, even when the password occurs in it', async () => {
      const request = {
        connection: { client: 'sqlite' as const, connection: db, password: 'main' },
        table: 'patient_records',
        columns: ['age'],
        fraction: 1,
        limit: 3,
        epsilon: 1,
        budget: 1,
        sensitive: ['age'],
        bounds: { age: [0, 110] as [number, number] },
        domains: {},
        timeoutMs: 60000,
        auditLog: audit,
        ledger,
        user: 'test',
      };
      await sampleDb(request, { write: () => undefined });
      await expect(sampleDb(request, { write: () => undefined })).rejects.toMatchObject({ exitCode: 5 });
      const refused = auditLines().at(-1)!;
      expect(refused).toMatchObject({ event: 'refused', exit_code: 5 });
      expect(refused.reason).toMatch(/privacy budget exceeded for sqlite:.*\*\*\*\.patient_records/);
    });

    it('refuses to append to a log cut and saved under another name, which then fails --verify-audit', () => {
      const first = join(dir, 'A.jsonl');
      for (let i = 0; i < 6; i++) expect(sqlite([...AGE, '--audit-log', first]).code).toBe(0);
      audit = join(dir, 'B.jsonl');
      writeFileSync(audit, `${readFileSync(first, 'utf8').split('\n').slice(0, 5).join('\n')}\n`);
      rmSync(first);
      const r = sqlite(AGE);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/does not match its anchor: it has 5 lines where its anchor records 6/);
      const verify = gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger]);
      expect(verify.code).toBe(3);
      expect(verify.stderr).toMatch(/the last lines were cut/);
    });

    it('keeps a keyed log keyed when its anchor is deleted: the lines decide', () => {
      const key = join(dir, 'audit.key');
      writeFileSync(key, 'a secret key of 32 bytes, really');
      chmodSync(key, 0o600);
      expect(sqlite([...AGE, '--audit-key-file', key]).code).toBe(0);
      rmSync(`${ledger}.audit-anchor.json`);
      const unkeyed = sqlite(AGE);
      expect(unkeyed.code).toBe(2);
      expect(unkeyed.stderr).toMatch(/is a keyed audit log/);
      expect(sqlite([...AGE, '--audit-key-file', key]).code).toBe(0);
      expect(gesalp(['sample-db', '--verify-audit', audit, '--ledger', ledger, '--audit-key-file', key]).code).toBe(0);
    });
  });

  describe('the ledger', () => {
    it('refuses (exit 3) a ledger naming one target twice, before reading anything', () => {
      const key = `sqlite:${db}/main.patient_records`;
      const spent = `{"spent": 2.5, "queries": [{"at": "2026-01-01T00:00:00Z", "epsilon": 2.5, "fingerprint": "x"}]}`;
      writeFileSync(ledger, `{"version": 1, "targets": {"${key}": ${spent}, "${key}": {"spent": 0, "queries": []}}}`);
      const out = join(dir, 'rows.csv');
      const r = sqlite([...AGE, '--budget', '3', '-o', out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/occurs twice/);
      expect(auditLines().at(-1)).toMatchObject({ event: 'refused', exit_code: 3 });
    });
  });

  describe('amplification', () => {
    /** 2,000 rows whose category is 'a' for the first half and 'b' for the rest, in scan order. */
    const ordered = () => {
      const handle = new Database(db);
      handle.exec('create table halves (c text); begin');
      const insert = handle.prepare('insert into halves values (?)');
      for (let i = 0; i < 2000; i++) insert.run(i < 1000 ? 'a' : 'b');
      handle.exec('commit');
      handle.close();
    };
    const halves = ['--columns', 'c', '--sensitive', 'c', '--domain', 'c=a,b', '--epsilon', '50', '--fraction', '0.9'];

    it('releases the client-sampled rows shuffled, not in scan order', () => {
      ordered();
      const out = join(dir, 'halves.csv');
      const r = sqlite([...halves, '--min-rows', '2000', '--delta-budget', '0.5', '-o', out, '--json'], 'halves');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).privacy.amplification).toMatchObject({
        applied: true,
        order: 'shuffled with the CSPRNG',
      });
      const values = readFileSync(out, 'utf8').trim().split('\n').slice(1);
      const changes = values.filter((v, i) => i > 0 && v !== values[i - 1]).length;
      // In scan order there would be one change (epsilon 50 keeps every value); shuffled, about half the lines.
      expect(changes).toBeGreaterThan(values.length / 4);
    });

    it('charges the full epsilon, saying why, without --min-rows or with --limit; refuses past the delta budget', () => {
      ordered();
      const plain = JSON.parse(sqlite([...halves, '--json', '-o', join(dir, 'p.csv')], 'halves').stdout);
      expect(plain.privacy).toMatchObject({ effective_epsilon: 50, effective_delta: 0 });
      // The metadata names the options as the library and its own keys do (min_rows), not by flags.
      expect(plain.privacy.amplification.rule).toMatch(/give min_rows N/);
      const limited = JSON.parse(
        sqlite([...halves, '--min-rows', '2000', '--limit', '10', '--json', '-o', join(dir, 'l.csv')], 'halves').stdout,
      );
      expect(limited.privacy.amplification.rule).toMatch(/limit keeps .* not Poisson/);
      // The default delta budget (1e-6) takes one amplified query at the default --delta, not two.
      const args = [...halves, '--epsilon', '1', '--min-rows', '2000', '-o', join(dir, 'x.csv')];
      expect(sqlite(args, 'halves').code).toBe(0);
      const second = sqlite(args, 'halves');
      expect(second.code).toBe(5);
      expect(second.stderr).toMatch(/delta budget exceeded/);
    });
  });
});

const { engines } = availableEngines();
const servers = engines.filter((e) => e.client !== 'sqlite');
// A loop, not describe.each: without database servers there is nothing to run.
for (const engine of servers) {
  describe(`gesalp sample-db views and addresses on ${engine.client}`, () => {
    let dir: string;
    const suffix = `${process.pid}_${Date.now()}`;
    const view = `gesalp_view_${suffix}`;
    const viaFunction = `gesalp_fview_${suffix}`;
    const knex = () => {
      const url = new URL(engine.connection);
      return knexFactory({
        client: engine.client === 'pg' ? 'pg' : 'mysql2',
        connection: {
          host: url.hostname,
          port: Number(url.port),
          user: decodeURIComponent(url.username),
          password: engine.password,
          database: url.pathname.slice(1),
        },
      });
    };
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-round-two-server-'));
    });
    afterEach(async () => {
      rmSync(dir, { recursive: true, force: true });
      const k = knex();
      await k.raw(`drop view if exists ${view}`);
      await k.raw(`drop view if exists ${viaFunction}`);
      await k.raw(`drop function if exists gesalp_f_${suffix}`);
      await k.destroy();
    });
    const run = (connection: string, table: string, extra: string[]) =>
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
        '--ledger',
        join(dir, 'ledger.json'),
        '--audit-log',
        join(dir, 'audit.jsonl'),
        ...extra,
      ]);

    it('charges a view to its table, and refuses a view over a function unless --raw', async () => {
      const k = knex();
      await k.raw(`create view ${view} as select age, sex from patient_records where age > 1`);
      if (engine.client === 'pg') {
        await k.raw(
          `create function gesalp_f_${suffix}() returns setof integer language sql as 'select age from patient_records'`,
        );
        await k.raw(`create view ${viaFunction} as select f as age from gesalp_f_${suffix}() f`);
      } else {
        await k.raw(
          `create function gesalp_f_${suffix}() returns int reads sql data return (select max(age) from patient_records)`,
        );
        await k.raw(`create view ${viaFunction} as select gesalp_f_${suffix}() as age from patient_records`);
      }
      await k.destroy();
      expect(run(engine.connection, 'patient_records', [...AGE, '--budget', '1', '-q']).code).toBe(0);
      const r = run(engine.connection, view, [...AGE, '--budget', '1', '-q']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/patient_records: spent 1/);
      const refused = run(engine.connection, viaFunction, [...AGE, '-q']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /cannot tell which stored tables .* reads: it calls a (user-defined|stored) function/,
      );
      expect(run(engine.connection, viaFunction, ['--raw', '--limit', '2', '-q']).code).toBe(0);
    });

    it('connects through an IPv6 literal in the URL', () => {
      const url = new URL(engine.connection);
      url.hostname = '[::1]';
      const r = run(url.toString(), 'patient_records', ['--raw', '--columns', 'age', '--limit', '2', '-q']);
      // The server may listen on IPv4 only: then the address is reached and refuses, never "not found".
      expect(r.stderr).not.toMatch(/ENOTFOUND/);
      expect([0, 6]).toContain(r.code);
      if (r.code === 6) expect(r.stderr).toMatch(/ECONNREFUSED|not allowed|Host/);
    });
  });
}
