import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
const QUICK = ['--n-iter', '3', '--param', 'num_timesteps=20', '--param', 'ema=0.9', '--threads', '1', '--seed', '3'];
const OFF = (...metrics: string[]) => metrics.flatMap((m) => ['--threshold', `${m}=off`]);

describe('gesalp analyze-failure', () => {
  it('explains a fixture report: failure type, severity, root cause, the change and the next command', () => {
    const r = gesalp(['analyze-failure', 'fixtures/optimizer/ks-extreme.report.json', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/HIGH_KS/);
    expect(r.stdout).toMatch(
      /\[extreme\] tabddpm-ks-extreme: KS 0\.730 is 7\.3x the 0\.1 threshold: the model did not learn the distribution/,
    );
    expect(r.stdout).toMatch(/n_iter +│ 300 +│ 600 +│ tabddpm-ks-extreme/);
    expect(r.stdout).toMatch(/Next run: gesalp generate INPUT --method ddpm --n-iter 600/);
  });

  it('works from flags alone and prints one JSON document with --json', () => {
    const r = gesalp([
      'analyze-failure',
      '--metrics',
      'ks_mean=0.73,mia_auc=0.2',
      '--method',
      'ddpm',
      '--rows',
      '32561',
      '--cols',
      '15',
      '--params',
      'n_iter=300',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.failures.map((f: { type: string }) => f.type)).toEqual(['HIGH_KS']);
    expect(out.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-extreme', severity: 'extreme' });
    expect(out.changes[0]).toMatchObject({ param: 'n_iter', from: 300, to: 600, rule: 'tabddpm-ks-extreme' });
    expect(out.train_rows).toBe(26049);
  });

  it('follows the DP direction: high MIA under DP lowers epsilon', () => {
    const r = gesalp(['analyze-failure', 'fixtures/optimizer/dp-mia.report.json', '--epsilon', '4', '--json']);
    expect(JSON.parse(r.stdout).changes[0]).toMatchObject({ param: 'epsilon', from: 4, to: 2, rule: 'dp-high-mia' });
  });

  it('refuses bad input with the SPEC exit codes', () => {
    expect(gesalp(['analyze-failure']).code).toBe(2);
    expect(gesalp(['analyze-failure', '--metrics', 'kss=0.2', '--rows', '100', '--cols', '3']).code).toBe(2);
    const missing = gesalp(['analyze-failure', 'no-such-report.json']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cannot read no-such-report\.json/);
    expect(gesalp(['analyze-failure', PENGUINS]).code).toBe(3);
  });
});

describe('gesalp suggest', () => {
  it('prints the size-table parameters for a file, each with its rule, and an estimate', () => {
    const r = gesalp(['suggest', '--method', 'ddpm', '--input', PENGUINS, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.train_rows).toBe(275);
    expect(out.parameters.find((p: { name: string }) => p.name === 'n_iter')).toEqual({
      name: 'n_iter',
      value: 400,
      source: 'ddpm-size-n-iter: under 1K training rows',
    });
    expect(out.parameters.find((p: { name: string }) => p.name === 'batch_size').source).toMatch(/^ddpm-size-batch/);
    expect(out.estimate.seconds).toBeGreaterThan(0);
  });

  it('applies the optimizer to a previous report and adds DP settings for a target epsilon', () => {
    const r = gesalp([
      'suggest',
      '--previous',
      'fixtures/optimizer/ks-standard.report.json',
      '--epsilon',
      '2',
      '--json',
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.parameters.find((p: { name: string }) => p.name === 'n_iter')).toMatchObject({
      value: 500,
      source: 'tabddpm-ks-standard (was 400)',
    });
    expect(out.dp.epsilon_spent).toBeLessThanOrEqual(2);
    expect(out.dp.noise_multiplier).toBeGreaterThan(0);
    expect(out.analysis).toMatchObject({ all_green: false, not_evaluated: [] });
    expect(out.analysis.allGreen).toBeUndefined();
  });

  it("advises a previous run as the method it ran (a CTGAN report gets CTGAN's rules), unless -m names another", () => {
    const own = JSON.parse(
      gesalp(['suggest', '--previous', 'fixtures/optimizer/ctgan-ks.report.json', '--json']).stdout,
    );
    expect(own.method).toBe('ctgan');
    expect(own.analysis.changes.map((c: { rule: string }) => c.rule)).toContain('ctgan-ks');
    expect(own.parameters.map((p: { name: string }) => p.name)).toContain('embedding_dim');
    const named = gesalp(['suggest', '--previous', 'fixtures/optimizer/ctgan-ks.report.json', '-m', 'ddpm', '--json']);
    expect(JSON.parse(named.stdout).method).toBe('ddpm');
  });

  it('suggests DP-SGD when only privacy fails', () => {
    const r = gesalp(['suggest', '--previous', 'fixtures/optimizer/mia-only-short.report.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/suggested: epsilon - -> 2 \(only-privacy: .*enable DP-SGD, epsilon 2\)/);
  });

  it('warns when the suggested n_iter is below 300', () => {
    // Under DP at the lowest epsilon the rule allows, high MIA shortens training instead.
    const report = JSON.parse(readFileSync('fixtures/optimizer/mia-only-short.report.json', 'utf8'));
    const folder = mkdtempSync(join(tmpdir(), 'gesalp-suggest-'));
    const path = join(folder, 'dp-floor.report.json');
    writeFileSync(path, JSON.stringify({ ...report, privacy: { attempt_epsilon: 0.1, max_epsilon: 1 } }));
    const short = gesalp(['suggest', '--previous', path]);
    rmSync(folder, { recursive: true, force: true });
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/n_iter +│ 225 +│ dp-high-mia \(was 300\)/);
    expect(short.stderr).toMatch(/warning: n_iter 225 is below 300/);
    expect(gesalp(['suggest', '--previous', 'fixtures/optimizer/mia-only.report.json']).stderr).not.toMatch(
      /below 300/,
    );
  });

  it('accountant mode: epsilon for a noise multiplier, and the noise multiplier for an epsilon', () => {
    const e = JSON.parse(
      gesalp([
        'suggest',
        '--sample-rate',
        '0.04',
        '--noise-multiplier',
        '1.5',
        '--steps',
        '2250',
        '--delta',
        '1e-5',
        '--json',
      ]).stdout,
    );
    expect(e.epsilon).toBeCloseTo(7.32911117143, 5);
    const s = JSON.parse(
      gesalp(['suggest', '--epsilon', '8', '--sample-rate', '0.04', '--steps', '2250', '--delta', '1e-5', '--json'])
        .stdout,
    );
    expect(s.noise_multiplier).toBeGreaterThan(1.4);
    expect(s.noise_multiplier).toBeLessThan(1.4254);
    expect(s.epsilon).toBeLessThanOrEqual(8);
  });

  it('refuses an unknown size or a half-given accountant query (exit 2)', () => {
    expect(gesalp(['suggest', '--method', 'ddpm']).code).toBe(2);
    expect(gesalp(['suggest', '--sample-rate', '0.04', '--steps', '100', '--delta', '1e-5']).stderr).toMatch(
      /exactly one of --noise-multiplier and --epsilon/,
    );
  });
});

describe('gesalp generate --max-attempts and --grid', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-optimizer-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("retries with the optimizer's changes, keeps the best attempt and exits 4 when none is all green", () => {
    // corr_delta cannot reach 0.0001: every attempt fails it, so tabddpm-corr doubles the batch each time.
    const args = [
      'generate',
      PENGUINS,
      ...QUICK,
      '--batch-size',
      '32',
      '--max-attempts',
      '3',
      '--threshold',
      'corr_delta=0.0001',
      ...OFF('ks_mean', 'tvd_mean', 'dup_rate', 'mia_auc', 'detection_auc'),
      '-o',
      join(dir, 'r.csv'),
    ];
    const r = gesalp(args);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/attempt 2\/3/);
    expect(r.stderr).toMatch(/tabddpm-corr: batch_size 32 -> 64/);
    expect(r.stderr).toMatch(/attempts \(no attempt was all green in 3\)/);
    const report = JSON.parse(readFileSync(join(dir, 'r.report.json'), 'utf8'));
    expect(report.attempts.map((a: { parameters: { batch_size: number } }) => a.parameters.batch_size)).toEqual([
      32, 64, 128,
    ]);
    expect(report.attempts[1].changes).toEqual([{ param: 'batch_size', from: 32, to: 64, rule: 'tabddpm-corr' }]);
    const kept = report.attempts.filter((a: { kept: boolean }) => a.kept);
    expect(kept).toHaveLength(1);
    const excess = (a: { metrics: { corr_delta: number } }) => a.metrics.corr_delta;
    expect(excess(kept[0])).toBe(Math.min(...report.attempts.map(excess)));
    expect(report.optimizer).toMatchObject({ mode: 'retry', max_attempts: 3, kept_attempt: kept[0].attempt });
    expect(report.parameters.find((p: { name: string }) => p.name === 'batch_size').value).toBe(
      kept[0].parameters.batch_size,
    );
  }, 120000);

  it('runs every grid point and keeps the best', () => {
    const r = gesalp([
      'generate',
      PENGUINS,
      // The grid sets n_iter: --n-iter beside it is refused, so QUICK's other settings only.
      ...QUICK.slice(2),
      '--grid',
      'n_iter=2,3',
      '--grid',
      'batch_size=32,64',
      ...OFF('ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc'),
      '-o',
      join(dir, 'g.csv'),
    ]);
    expect(r.code).toBe(0);
    // Every point is green with the gate off: the one kept is the best by the verdict's score (the spread check remains).
    const report = JSON.parse(readFileSync(join(dir, 'g.report.json'), 'utf8'));
    expect(r.stderr).toContain(`grid (grid of 4 points: kept attempt ${report.optimizer.kept_attempt})`);
    expect(report.attempts.filter((a: { kept: boolean }) => a.kept)).toHaveLength(1);
    expect(
      report.attempts.map((a: { parameters: Record<string, number> }) => [
        a.parameters.n_iter,
        a.parameters.batch_size,
      ]),
    ).toEqual([
      [2, 32],
      [2, 64],
      [3, 32],
      [3, 64],
    ]);
  }, 120000);

  it('exits 0 when no grid point is all green, unless --all-green asked for the gate (SPEC section 2)', () => {
    // corr_delta cannot reach 0.0001: every point fails it.
    const args = [
      'generate',
      PENGUINS,
      ...QUICK.slice(2),
      '--grid',
      'n_iter=2,3',
      '--threshold',
      'corr_delta=0.0001',
      ...OFF('ks_mean', 'tvd_mean', 'dup_rate', 'mia_auc', 'detection_auc'),
    ];
    const ungated = gesalp([...args, '-o', join(dir, 'ng.csv')]);
    expect(ungated.code).toBe(0);
    expect(ungated.stderr).toMatch(/the synthetic rows fail corr_delta .*--all-green makes this exit 4/);
    expect(gesalp([...args, '--all-green', '-o', join(dir, 'gg.csv')]).code).toBe(4);
  }, 120000);

  it('refuses an epsilon grid without a stated total, and --grid with --max-attempts', () => {
    const e = gesalp([
      'generate',
      PENGUINS,
      '--grid',
      'epsilon=1,2',
      '--public-validation',
      'v.csv',
      '-o',
      join(dir, 'x.csv'),
    ]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/2 DP attempts each spend their own epsilon[\s\S]*--total-epsilon/);
    expect(
      gesalp(['generate', PENGUINS, '--grid', 'n_iter=2,3', '--max-attempts', '2', '-o', join(dir, 'x.csv')]).code,
    ).toBe(2);
  });
});
