import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = join(process.cwd(), 'fixtures/penguins/penguins.csv');
/** Short training (320 steps: enough for --threads auto to time), no checkpoints. */
const QUICK = ['--n-iter', '40', '--param', 'num_timesteps=20', '--no-early-stop', '--seed', '5'];
/** Shorter still, for runs that time nothing. */
const QUICKER = ['--n-iter', '10', '--param', 'num_timesteps=20', '--no-early-stop', '--seed', '5'];

const reportOf = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, `${name}.report.json`), 'utf8'));
const rowsOf = (dir: string, name: string) => readFileSync(join(dir, `${name}.csv`), 'utf8');

describe('gesalp generate --threads and --parallel-attempts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-threads-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--threads auto picks a count by a timed trial, records it, and the same seed repeats on that count', () => {
    const auto = gesalp(['generate', PENGUINS, '--threads', 'auto', '-o', join(dir, 'auto.csv'), ...QUICK], {
      cwd: dir,
    });
    expect(auto.code).toBe(0);
    const report = reportOf(dir, 'auto');
    const choice = report.training.thread_choice;
    expect(choice.chosen).toBe(report.training.threads);
    expect(choice.chosen).toBeGreaterThanOrEqual(1);
    expect(auto.stderr).toMatch(/thread\(s\) \(/);
    if (choice.rates.length) {
      // A timed choice: the report says the run repeats only on the count chosen.
      expect(choice.rates.map((r: { threads: number }) => r.threads)).toContain(choice.chosen);
      const rateOf = (threads: number) =>
        choice.rates.find((r: { threads: number }) => r.threads === threads).steps_per_second;
      expect(rateOf(choice.chosen)).toBeGreaterThan(0);
      expect(report.optimizer.repeatable).toBe(false);
      expect(report.optimizer.repeatable_note).toMatch(new RegExp(`repeats the rows on ${choice.chosen}`));
    } else {
      // One core: nothing to choose between, nothing timed.
      expect(report.optimizer.repeatable).toBe(true);
    }
    // The trials leave nothing behind: the chosen count, given, trains the same rows.
    const fixed = gesalp(
      ['generate', PENGUINS, '--threads', String(choice.chosen), '-o', join(dir, 'fixed.csv'), ...QUICK],
      { cwd: dir },
    );
    expect(fixed.code).toBe(0);
    expect(rowsOf(dir, 'fixed')).toBe(rowsOf(dir, 'auto'));
    expect(reportOf(dir, 'fixed').optimizer).toMatchObject({ repeatable: true });
    expect(reportOf(dir, 'fixed').training.thread_choice).toBeUndefined();
  });

  it('refuses a --threads that is neither a count nor auto', () => {
    const bad = gesalp(['generate', PENGUINS, '--threads', 'many', '-o', join(dir, 'bad.csv')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads/);
  });

  it('runs grid attempts side by side to the same attempts and rows as one at a time, seeded', () => {
    const run = (name: string, parallel: string) =>
      gesalp(
        [
          'generate',
          PENGUINS,
          '--grid',
          'lr=0.001,0.004',
          '--parallel-attempts',
          parallel,
          '--threads',
          '1',
          '-o',
          join(dir, `${name}.csv`),
          ...QUICKER,
        ],
        { cwd: dir },
      );
    for (const [name, parallel] of [
      ['side-a', '2'],
      ['side-b', '2'],
      ['one', '1'],
    ]) {
      const r = run(name, parallel);
      if (r.code !== 0 && r.code !== 4) throw new Error(`${name} exited ${r.code}: ${r.stderr}`);
    }
    expect(rowsOf(dir, 'side-b')).toBe(rowsOf(dir, 'side-a'));
    expect(rowsOf(dir, 'one')).toBe(rowsOf(dir, 'side-a'));
    const params = (name: string) => reportOf(dir, name).attempts.map((a: { parameters: unknown }) => a.parameters);
    expect(params('side-b')).toEqual(params('side-a'));
    expect(params('one')).toEqual(params('side-a'));
    expect(reportOf(dir, 'side-a').optimizer).toMatchObject({ repeatable: true });
  });
});
