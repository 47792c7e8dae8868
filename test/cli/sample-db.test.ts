import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amplifiedCost } from '../../src/privacy/amplification.js';
import { gesalp } from '../helpers/cli.js';
import { availableEngines, HOSPITAL_SAMPLE_DB, type Engine } from '../helpers/engines.js';

const { engines, skipped } = availableEngines();

describe('gesalp sample-db', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-cli-db-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (client, engine: Engine) => {
    const state = () => [
      '--audit-log',
      join(dir, `${client}-audit.jsonl`),
      '--ledger',
      join(dir, `${client}-ledger.json`),
    ];
    const base = (): string[] => [
      'sample-db',
      '--client',
      engine.client,
      '--connection',
      engine.connection,
      ...(engine.passwordEnv ? ['--password-env', engine.passwordEnv] : []),
      ...state(),
    ];
    const countRows = () => {
      const r = gesalp([...base(), '--table', 'patient_records', '--columns', 'id', '--raw', '-q']);
      expect(r.code).toBe(0);
      return r.stdout.trim().split('\n').length - 1;
    };

    it('writes the sample atomically to -o and the metadata to --metadata', () => {
      const out = join(dir, `${client}-sample.csv`);
      const metadata = join(dir, `${client}-meta.json`);
      const r = gesalp([
        ...base(),
        '--table',
        'patient_records',
        '--fraction',
        '0.05',
        '--seed',
        '4',
        '--epsilon',
        '1',
        '--sensitive',
        'age',
        '--bounds',
        'age=0:110',
        '-o',
        out,
        '--metadata',
        metadata,
      ]);
      expect(r.code).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      expect(lines[0]).toBe('id,age,sex,zip,diagnosis,admitted_on,length_of_stay,systolic_bp,insurance,readmitted');
      const meta = JSON.parse(readFileSync(metadata, 'utf8'));
      expect(meta).toMatchObject({
        rows: lines.length - 1,
        fraction: 0.05,
        seed: 4,
        query_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(meta.privacy.columns[0]).toMatchObject({
        column: 'age',
        mechanism: 'laplace',
        epsilon: 1,
        bounds: [0, 110],
      });
    });

    it.each([
      ['--table', ['--raw', '--table', 'patient_records; drop table patient_records']],
      ['--table', ['--raw', '--table', "patient_records' or '1'='1"]],
      ['--table', ['--raw', '--table', 'patient_records --']],
      ['--columns', ['--raw', '--table', 'patient_records', '--columns', 'id,age; drop table patient_records']],
      ['--columns', ['--raw', '--table', 'patient_records', '--columns', 'id/**/,age']],
      [
        '--bounds',
        [
          '--table',
          'patient_records',
          '--epsilon',
          '1',
          '--sensitive',
          'age',
          '--bounds',
          'age=0:1); drop table patient_records; --',
        ],
      ],
    ])('rejects an injection attempt in %s with exit 2, 3 or 6 and leaves the table as it was', (_, args) => {
      const r = gesalp([...base(), ...args]);
      expect([2, 3, 6]).toContain(r.code);
      expect(r.stderr).toMatch(/error: /);
      expect(countRows()).toBe(20000);
    });

    it('refuses with exit 5, before reading, a query past the budget', () => {
      const out = join(dir, `${client}-refused.csv`);
      const ledger = ['--ledger', join(dir, `${client}-budget-ledger.json`)];
      const args = [
        ...base(),
        ...ledger,
        '--table',
        'patient_records',
        '--epsilon',
        '1',
        '--sensitive',
        'age',
        '--bounds',
        'age=0:110',
        '--budget',
        '1.5',
      ];
      expect(gesalp([...args, '-o', join(dir, `${client}-first.csv`)]).code).toBe(0);
      const r = gesalp([...args, '-o', out]);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/privacy budget exceeded .* spent 1 \+ this query 1 > budget 1\.5/);
      expect(existsSync(out)).toBe(false);
    });

    it('prints the SQL and the accounting with --dry-run, reading no rows', () => {
      const r = gesalp([
        ...base(),
        '--table',
        'patient_records',
        '--fraction',
        '0.1',
        '--seed',
        '1',
        '--epsilon',
        '2',
        '--sensitive',
        'age,sex',
        '--bounds',
        'age=0:110',
        '--domain',
        'sex=F,M',
        '--dry-run',
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^select .*patient_records/);
      const meta = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
      expect(meta.dry_run).toBe(true);
      // Every other column is released as stored (and the seed is known): no amplification.
      expect(meta.privacy.effective_epsilon).toBe(2);
      expect(meta.privacy.amplification.applied).toBe(false);
      const unseeded = gesalp([
        ...base(),
        '--table',
        'patient_records',
        '--columns',
        'age,sex',
        '--fraction',
        '0.1',
        '--epsilon',
        '2',
        '--sensitive',
        'age,sex',
        '--bounds',
        'age=0:110',
        '--domain',
        'sex=F,M',
        '--min-rows',
        '10000',
        '--dry-run',
        '--json',
      ]);
      expect(unseeded.code).toBe(0);
      const amplified = JSON.parse(unseeded.stdout);
      // The sampled, shuffled release with its count: (epsilon', delta) for a table of at least 10,000 rows.
      const cost = amplifiedCost({ others: 9999, q: 0.1, epsilon: 2 }, 1e-6)!;
      expect(amplified.privacy).toMatchObject({
        effective_epsilon: cost.epsilon,
        effective_delta: cost.delta,
        amplification: { applied: true, min_rows: 10000 },
      });
      expect(amplified.sampler).toBe('client: a CSPRNG coin per row');
    });

    if (engine.client !== 'sqlite') {
      it('exits 6 on a wrong password without echoing it, and the audit log never holds it', () => {
        const secret = 'not-the-password-3f9c';
        const args = [
          'sample-db',
          '--client',
          engine.client,
          '--connection',
          engine.connection,
          '--password-env',
          'WRONG_PW',
          ...state(),
          '--table',
          'patient_records',
          '--raw',
        ];
        const r = gesalp(args, { env: { WRONG_PW: secret } });
        expect(r.code).toBe(6);
        expect(r.stdout + r.stderr).not.toContain(secret);
        const audit = join(dir, `${client}-audit.jsonl`);
        if (existsSync(audit)) expect(readFileSync(audit, 'utf8')).not.toContain(secret);
        if (engine.password) expect(readFileSync(audit, 'utf8')).not.toContain(engine.password);
      });
    }
  });

  it('refuses a password written into --connection (exit 2)', () => {
    const r = gesalp([
      'sample-db',
      '--client',
      'pg',
      '--connection',
      'postgres://u:hunter2@127.0.0.1/db',
      '--table',
      't',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing a password inside --connection/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('names the tampered line with --verify-audit', () => {
    const audit = join(dir, 'tamper.jsonl');
    const args = [
      ...HOSPITAL_SAMPLE_DB,
      '--limit',
      '5',
      '--raw',
      '--audit-log',
      audit,
      '--ledger',
      join(dir, 't.json'),
      '-q',
    ];
    for (let i = 0; i < 3; i++) expect(gesalp(args).code).toBe(0);
    expect(gesalp(['sample-db', '--verify-audit', audit]).stdout).toMatch(/3 lines, hash chain intact/);
    const lines = readFileSync(audit, 'utf8').split('\n');
    lines[1] = lines[1].replace('"rows":5', '"rows":4');
    writeFileSync(audit, lines.join('\n'));
    const r = gesalp(['sample-db', '--verify-audit', audit]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/line 2: hash does not match/);
  });

  it('reads a misspelt --sensitive or --bounds name as a typo, with the name it is close to (exit 2)', () => {
    const base = HOSPITAL_SAMPLE_DB;
    const query = ['--columns', 'age,diagnosis', '--fraction', '0.05', '--epsilon', '1', '--dry-run'];
    const sensitive = gesalp([...base, ...query, '--sensitive', 'agee,diagnosis']);
    expect(sensitive.code).toBe(2);
    expect(sensitive.stderr).toMatch(/sensitive column 'agee' is not among the sampled columns/);
    expect(sensitive.stderr).toMatch(/Did you mean 'age'\?/);
    const bounds = gesalp([...base, ...query, '--sensitive', 'age', '--bounds', 'agee=0:110']);
    expect(bounds.code).toBe(2);
    expect(bounds.stderr).toMatch(/Did you mean 'age'\? If not, add agee to --sensitive/);
  });
});
