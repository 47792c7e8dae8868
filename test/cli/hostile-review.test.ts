/** Defects a hostile review found after the hardening (issue 14), each reproduced through the binary. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inodeLockPath } from '../../src/sample-db/files/file-lock.js';
import { failingSpread } from '../helpers/checks.js';
import { gesalp } from '../helpers/cli.js';
import { HOSPITAL_DB } from '../helpers/engines.js';

describe('after the hostile review', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-review-'));
    copyFileSync(HOSPITAL_DB, join(dir, 'db.sqlite'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const query = (ledger: string, extra: string[] = []) =>
    gesalp([
      'sample-db',
      '--client',
      'sqlite',
      '--connection',
      join(dir, 'db.sqlite'),
      '--table',
      'patient_records',
      '--columns',
      'age',
      '--sensitive',
      'age',
      '--bounds',
      'age=0:110',
      '--limit',
      '3',
      '--audit-log',
      join(dir, 'audit.jsonl'),
      '--ledger',
      ledger,
      '-o',
      join(dir, 'o.csv'),
      ...extra,
    ]);

  it('charges a ledger reached through a symlink in the real file, so the budget holds', () => {
    mkdirSync(join(dir, 'team'));
    mkdirSync(join(dir, 'me'));
    symlinkSync(join(dir, 'team', 'ledger.json'), join(dir, 'me', 'ledger.json'));
    const budget = ['--epsilon', '1', '--budget', '2'];
    expect(query(join(dir, 'team', 'ledger.json'), budget).code).toBe(0);
    expect(query(join(dir, 'me', 'ledger.json'), budget).code).toBe(0);
    expect(query(join(dir, 'team', 'ledger.json'), budget).code).toBe(5);
  });

  it.each([
    ['--metadata', 'ledger.json.audit-anchor.json'],
    ['-o', 'ledger.json.audit-anchor.json.lock'],
    ['--audit-log', 'ledger.json.audit-anchor.json.lock'],
  ])('refuses %s on the ledger’s own files (exit 2, before any work)', (flag, name) => {
    const r = query(join(dir, 'ledger.json'), ['--epsilon', '1', flag, join(dir, name)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the same file as the audit anchor/);
    expect(existsSync(join(dir, 'ledger.json'))).toBe(false);
  });

  it('refuses -o on the lock the ledger is locked by (keyed by its device and inode)', () => {
    expect(query(join(dir, 'ledger.json'), ['--epsilon', '1']).code).toBe(0);
    const { dev, ino } = statSync(join(dir, 'ledger.json'));
    const r = query(join(dir, 'ledger.json'), ['--epsilon', '1', '--metadata', inodeLockPath(dev, ino)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the same file as the ledger lock/);
  });

  it.each([['1e-13'], ['1e300']])(
    'refuses --epsilon %s, whose noise scale the mechanism cannot draw, with exit 2',
    (epsilon) => {
      const r = query(join(dir, 'ledger.json'), ['--epsilon', epsilon]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/noise scale|the largest epsilon gesalp accepts/);
      // Refused before anything is reserved (1e300: past the largest epsilon), or reserved and given back.
      const ledger = existsSync(join(dir, 'ledger.json'))
        ? JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8'))
        : { targets: {} };
      for (const entry of Object.values(ledger.targets) as { spent: number }[]) expect(entry.spent).toBe(0);
    },
  );

  it.each([['toString'], ['__proto__'], ['constructor']])(
    'refuses the method name %s with exit 2, not an internal error',
    (method) => {
      const r = gesalp([
        'analyze-failure',
        '--metrics',
        'ks_mean=0.5',
        '--method',
        method,
        '--rows',
        '100',
        '--cols',
        '5',
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown method/);
    },
  );

  it.each([
    [['--grid', 'n_iter=5,6', '--n-iter', '7'], /--n-iter and --grid both set n_iter/],
    [['--grid', 'width=16,32', '--param', 'width=64'], /--param and --grid both set width/],
    [['--grid', 'n_iter=5,6', '--optimize'], /--grid and --optimize both choose the attempts/],
  ])('refuses generate %j, where the grid would silently win, with exit 2', (args, message) => {
    const r = gesalp(['generate', 'fixtures/penguins/penguins.csv', ...args, '-o', join(dir, 'g.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('answers --verify-audit on a log line that is null with exit 3, not an internal error', () => {
    writeFileSync(join(dir, 'null.jsonl'), 'null\n');
    const r = gesalp(['sample-db', '--verify-audit', join(dir, 'null.jsonl'), '--ledger', join(dir, 'l.json')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/line 1: not a JSON object/);
  });

  it('names a failing sample_spread check in analyze-failure, even when every metric passes', () => {
    const report = JSON.parse(readFileSync('fixtures/optimizer/ks-near.report.json', 'utf8'));
    report.evaluation.checks = [failingSpread()];
    writeFileSync(join(dir, 'spread.json'), JSON.stringify(report));
    const text = gesalp(['analyze-failure', join(dir, 'spread.json')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/1 check\(s\) fail: sample_spread/);
    expect(text.stdout).not.toMatch(/ALL GREEN/);
    const json = JSON.parse(gesalp(['analyze-failure', join(dir, 'spread.json'), '--json']).stdout);
    expect(json).toMatchObject({ all_green: false, failing: ['sample_spread'] });
  });

  it('refuses to append to a keyed audit log without its key (exit 2), so the chain stays verifiable', () => {
    const key = join(dir, 'key');
    writeFileSync(key, 'k'.repeat(32), { mode: 0o600 });
    const ledger = join(dir, 'ledger.json');
    expect(query(ledger, ['--epsilon', '1', '--audit-key-file', key]).code).toBe(0);
    const unkeyed = query(ledger, ['--epsilon', '1']);
    expect(unkeyed.code).toBe(2);
    expect(unkeyed.stderr).toMatch(/is a keyed audit log/);
    const verify = gesalp([
      'sample-db',
      '--verify-audit',
      join(dir, 'audit.jsonl'),
      '--ledger',
      ledger,
      '--audit-key-file',
      key,
    ]);
    expect(verify.code).toBe(0);
  });
});
