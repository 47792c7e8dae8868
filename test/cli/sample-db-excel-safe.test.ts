/** sample-db --excel-safe (issue 14, item 22): text a spreadsheet would run as a formula is quoted or counted. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

describe('gesalp sample-db --excel-safe', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-excel-'));
    db = join(dir, 'notes.db');
    const sqlite = new Database(db);
    sqlite.exec('create table notes (id integer, note text, delta integer)');
    const insert = sqlite.prepare('insert into notes values (?, ?, ?)');
    insert.run(1, '=HYPERLINK("http://evil","x")', -3);
    insert.run(2, 'plain', 4);
    insert.run(3, '@SUM(A1)', 5);
    sqlite.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (extra: string[], out: string) =>
    gesalp([
      'sample-db',
      '--client',
      'sqlite',
      '--connection',
      db,
      '--table',
      'notes',
      '--columns',
      'id,note,delta',
      '--raw',
      '--ledger',
      join(dir, 'ledger.json'),
      '--audit-log',
      join(dir, 'audit.jsonl'),
      '-o',
      join(dir, out),
      ...extra,
    ]);

  it('counts formula cells in a warning and leaves them as stored without the flag', () => {
    const r = run([], 'plain.csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 cells start like a spreadsheet formula/);
    expect(readFileSync(join(dir, 'plain.csv'), 'utf8')).toContain('"=HYPERLINK(""http://evil"",""x"")"');
  });

  it('prefixes formula cells with a quote and leaves numbers such as -3 alone with the flag', () => {
    const r = run(['--excel-safe'], 'safe.csv');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/spreadsheet formula/);
    const csv = readFileSync(join(dir, 'safe.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csv).toContain(`'@SUM(A1)`);
    expect(csv).toContain('1,');
    expect(csv).toMatch(/,-3\n/);
  });
});
