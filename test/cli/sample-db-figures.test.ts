/**
 * Issue 28 item 13, sample-db's first impression on the command line: after a run and in a dry run
 * it prints per sensitive column what the noise does, warns when the noise is larger than the
 * range, and --clamp keeps released numbers inside their bounds at no extra charge.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';
import { HOSPITAL_SAMPLE_DB } from '../helpers/engines.js';

const DOMAIN = 'diagnosis=appendicitis,asthma,diabetes,fracture,heart failure,hypertension,migraine,pneumonia';
/** The README's example, with the diagnoses declared. */
const EXAMPLE = [
  '--columns',
  'age,diagnosis',
  '--fraction',
  '0.05',
  '--epsilon',
  '1',
  '--sensitive',
  'age,diagnosis',
  '--bounds',
  'age=0:110',
  '--domain',
  DOMAIN,
];

describe('gesalp sample-db: what the noise does', () => {
  let dir: string;
  let runs = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-cli-figures-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** sample-db on the fixture, with a ledger and audit log of its own; `out`: the rows' file. */
  const sample = (args: string[]) => {
    const n = runs++;
    const out = join(dir, `rows-${n}.csv`);
    const meta = join(dir, `meta-${n}.json`);
    const r = gesalp([
      ...HOSPITAL_SAMPLE_DB,
      '--ledger',
      join(dir, `ledger-${n}.json`),
      '--audit-log',
      join(dir, `audit-${n}.jsonl`),
      ...(args.includes('--dry-run') ? [] : ['-o', out, '--metadata', meta]),
      ...args,
    ]);
    const rows = () =>
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(','));
    const metadata = () => JSON.parse(readFileSync(meta, 'utf8'));
    return { ...r, rows, metadata };
  };

  it("prints each column's scale or keep probability after a run, and warns when the noise passes the range", () => {
    const r = sample(EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sampled \d+ rows from main\.patient_records/);
    expect(r.stderr).toMatch(
      /\n {2}age: Laplace noise, epsilon 0\.5: scale 220 on bounds 0\.\.110 \(declared\); half the values move by more than 152\n/,
    );
    expect(r.stderr).toMatch(
      /\n {2}diagnosis: randomized response, epsilon 0\.5: keeps a row's value with probability 0\.171 among 9 categories \(8 declared, and missing; a uniform guess: 0\.111\), else another at random\n/,
    );
    expect(r.stderr).toMatch(
      /warning: age: the noise scale 220 is 2 times the range 0\.\.110: a released value says little about its row\. What would help: a larger --epsilon .*fewer --sensitive columns \(2 share it now\), narrower --bounds .*--clamp, which keeps released values inside the bounds at no privacy cost\./,
    );
    expect(r.metadata().privacy.columns[0]).toMatchObject({
      laplace_scale: 220,
      bounds_from: 'declared',
      clamp: false,
    });
    expect(r.metadata().privacy.columns[1]).toMatchObject({ categories: 9, keep_probability: expect.any(Number) });
  });

  it('prints no noise warning where the noise fits the range', () => {
    const r = sample(['--columns', 'age', '--epsilon', '4', '--sensitive', 'age', '--bounds', 'age=0:110']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/age: Laplace noise, epsilon 4: scale 27\.5 on bounds 0\.\.110 \(declared\)/);
    expect(r.stderr).not.toMatch(/warning/);
  });

  it('shows in --dry-run the scale from declared bounds, and says which will be set at run time', () => {
    const r = sample([
      '--columns',
      'age,systolic_bp,diagnosis',
      '--epsilon',
      '1',
      '--sensitive',
      'age,systolic_bp,diagnosis',
      '--bounds',
      'age=0:110',
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dry run \(no rows read, nothing charged\); per sensitive column:/);
    expect(r.stderr).toMatch(/ {2}age: Laplace noise, epsilon 0\.3: scale 367 on bounds 0\.\.110 \(declared\)/);
    expect(r.stderr).toMatch(
      / {2}systolic_bp: Laplace noise, epsilon 0\.3: bounds to be estimated at run time with epsilon 0\.05 \(a dry run reads no data\), so the noise scale is not known yet; it will be 3\.33 times the estimated range/,
    );
    expect(r.stderr).toMatch(
      / {2}diagnosis: randomized response, epsilon 0\.3: categories to be estimated at run time with epsilon 0\.05 \(a dry run reads no data\), so the keep probability is not known yet/,
    );
    expect(r.stderr).toMatch(/warning: systolic_bp: the noise scale will be 3\.33 times the estimated range/);
    // The accounting on stdout carries the same figures.
    const meta = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    expect(meta.privacy.columns.map((c: { bounds_from?: string }) => c.bounds_from)).toEqual([
      'declared',
      'estimated',
      undefined,
    ]);
  });

  it('--clamp keeps every released age inside the bounds for the same charge; without it most leave them', () => {
    const plain = sample(EXAMPLE);
    const clamped = sample([...EXAMPLE, '--clamp']);
    expect([plain.code, clamped.code]).toEqual([0, 0]);
    const ages = (r: typeof plain) => r.rows().map((row) => Number(row[0]));
    const outside = (xs: number[]) => xs.filter((a) => a < 0 || a > 110).length / xs.length;
    expect(outside(ages(plain))).toBeGreaterThan(0.6);
    expect(outside(ages(clamped))).toBe(0);
    const charged = (r: typeof plain) => {
      const m = r.metadata();
      return [m.privacy.effective_epsilon, m.privacy.effective_delta, m.budget.targets[0].spent_after];
    };
    expect(charged(clamped)).toEqual(charged(plain));
    expect(clamped.stderr).toMatch(/; released values clamped to 0\.\.110\n/);
    expect(clamped.stderr).toMatch(/diagnosis: .*; --clamp does not apply to categories\n/);
    expect(clamped.stderr).toMatch(/Clamped values stay inside the bounds, but most land on their ends\./);
    expect(clamped.metadata().privacy).toMatchObject({ clamp: true, columns: [{ clamp: true }, {}] });
  });

  it('--clamp with estimated bounds clamps to the estimate the metadata releases', () => {
    const r = sample(['--columns', 'age', '--epsilon', '1', '--sensitive', 'age', '--clamp']);
    expect(r.code).toBe(0);
    const [lo, hi] = r.metadata().privacy.columns[0].bounds as [number, number];
    expect(r.stderr).toMatch(new RegExp(`released values clamped to ${lo}\\.\\.${hi}\\n`));
    expect(r.stderr).toMatch(/\(estimated with epsilon 0\.1\)/);
    expect(r.rows().every(([age]) => Number(age) >= lo && Number(age) <= hi)).toBe(true);
  });

  it('--clamp on a categorical column only: nothing to clamp, said so', () => {
    const r = sample([
      '--columns',
      'diagnosis',
      '--epsilon',
      '1',
      '--sensitive',
      'diagnosis',
      '--domain',
      DOMAIN,
      '--clamp',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --clamp: no sensitive column is numeric, so nothing is clamped/);
  });

  it('refuses --clamp without --sensitive (exit 2): there is nothing noised to clamp', () => {
    for (const args of [['--raw'], [], ['--epsilon', '1']]) {
      const r = sample(['--columns', 'age', '--clamp', ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(
        /error: --clamp keeps noised values inside their bounds, and no column is --sensitive: nothing would be noised or clamped/,
      );
    }
  });

  it('says --clamp is post-processing, free of privacy cost, in its help', () => {
    const r = gesalp(['sample-db', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /--clamp +clamp each released numeric value to its bounds after the noise: post-processing, so no extra privacy cost/,
    );
  });
});
