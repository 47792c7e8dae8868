/**
 * The README's CI table (issue 28 items 6 and 7): one exit rule and one report shape, checked row
 * by row for generate and evaluate alike.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, TINY_TRAINING } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
const TRAIN = 'fixtures/penguins/train.csv';
const HOLDOUT = 'fixtures/penguins/holdout.csv';
/** Resamples each column alone: its marginals pass, its associations (corr_delta) fail. */
const BASELINE = 'fixtures/penguins/baseline-synthetic.csv';
/** A short training whose sample_spread check passes, seeded. */
const SHORT = [...TINY_TRAINING, '--seed', '1'];
/** A ks_mean no sample meets: the failing check of both commands. */
const FAIL_KS = ['--threshold', 'ks_mean=0.0001'];
const ALL = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'];
const loose = (...keep: string[]) => ALL.filter((m) => !keep.includes(m)).flatMap((m) => ['--threshold', `${m}=off`]);

type Report = Record<string, any>;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-ci-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each command on the situation: its exit code and the report it wrote. */
const commands = {
  generate(name: string, extra: string[]): { code: number | null; report: Report | null; stderr: string } {
    const out = join(dir, `${name}.csv`);
    const report = join(dir, `${name}.report.json`);
    const r = gesalp(['generate', PENGUINS, ...SHORT, '-o', out, '--report', report, ...extra]);
    return { code: r.code, report: readReport(report), stderr: r.stderr };
  },
  evaluate(name: string, extra: string[]): { code: number | null; report: Report | null; stderr: string } {
    const report = join(dir, `${name}.evaluation.json`);
    const holdout = extra.includes('--no-holdout') ? [] : ['--holdout', HOLDOUT];
    const args = extra.filter((a) => a !== '--no-holdout');
    const r = gesalp(['evaluate', TRAIN, BASELINE, ...holdout, '-o', report, ...args]);
    return { code: r.code, report: readReport(report), stderr: r.stderr };
  },
};

function readReport(path: string): Report | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

describe.each(Object.keys(commands) as (keyof typeof commands)[])('the CI contract of %s', (command) => {
  const run = commands[command];
  const failing = 'ks_mean';

  it('every check passed: exit 0, all_green, no violations, compliance 100', () => {
    const r = run('pass', loose('dup_rate'));
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ all_green: true, violations: [], compliance_score: 100 });
    expect(r.report!.quality.score).toBeGreaterThan(0);
  });

  it('a check failed and no gate was asked for: exit 0, the verdict in the report as check objects', () => {
    const r = run('fail', [...loose(failing), ...FAIL_KS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: .*${failing}`));
    expect(r.report!.all_green).toBe(false);
    expect(r.report!.violations).toEqual([
      expect.objectContaining({ metric: failing, op: '<=', status: 'fail', value: expect.any(Number) }),
    ]);
    expect(r.report!.compliance_score).toBeLessThan(100);
  });

  it('a check failed with --all-green: exit 4, the report still written', () => {
    const r = run('gate', [...loose(failing), ...FAIL_KS, '--all-green']);
    expect(r.code).toBe(4);
    expect(r.report!.violations.map((v: { metric: string }) => v.metric)).toEqual([failing]);
  });

  it('a check that could not be evaluated fails --all-green (exit 4), and says why', () => {
    const noHoldout = command === 'generate' ? ['--holdout-fraction', '0'] : ['--no-holdout'];
    const r = run('unevaluated', [...loose('mia_auc'), ...noHoldout, '--all-green']);
    expect(r.code).toBe(4);
    expect(r.report!.violations).toEqual([
      expect.objectContaining({ metric: 'mia_auc', status: 'not_evaluated', message: expect.any(String) }),
    ]);
  });

  it('every check turned off with --all-green: exit 4, NOTHING CHECKED (generate always checks its sample)', () => {
    const r = run('nothing', [...loose(), '--all-green']);
    if (command === 'evaluate') {
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/NOTHING CHECKED/);
      // The report agrees with the exit: nothing checked is not all green.
      expect(r.report).toMatchObject({ checks: [], all_green: false, compliance_score: 0, violations: [] });
    } else {
      expect(r.code).toBe(0);
      expect(r.report!.evaluation.checks.map((c: { metric: string }) => c.metric)).toEqual(['sample_spread']);
    }
  });

  it('a bad value is exit 2 and an unreadable input exit 3, with nothing written', () => {
    expect(run('bad', ['--threshold', 'ks_mean=lots']).code).toBe(2);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const unreadable =
      command === 'generate'
        ? gesalp(['generate', empty, '-o', join(dir, 'x.csv')])
        : gesalp(['evaluate', empty, BASELINE]);
    expect(unreadable.code).toBe(3);
    expect(readReport(join(dir, 'x.report.json'))).toBeNull();
  });
});

describe('sampling a saved model', () => {
  it('is never gated unless asked: exit 0 on failing checks; --no-eval leaves the verdict null', () => {
    const model = join(dir, 'model');
    expect(gesalp(['generate', PENGUINS, ...SHORT, '-o', join(dir, 'm.csv'), '--save-model', model]).code).toBe(0);
    // Three rows from the saved model, with the report named (its default would land in the working directory).
    const sample = (out: string, report: string, ...extra: string[]) =>
      gesalp(['generate', PENGUINS, '--load-model', model, '-n', '3', '-o', out, '--report', report, ...extra]);
    const sampled = sample('-', join(dir, 'stdout.report.json'));
    expect(sampled.code).toBe(0);
    // Its failing checks are named, but a loaded model is not retrained: no --max-attempts in the hint.
    expect(sampled.stderr).toMatch(/warning: the synthetic rows fail/);
    expect(sampled.stderr).not.toMatch(/--max-attempts/);
    const report = join(dir, 'loaded.report.json');
    const quiet = sample(join(dir, 'l.csv'), report, '--no-eval');
    expect(quiet.code).toBe(0);
    expect(readReport(report)).toMatchObject({ evaluation: null, all_green: null, violations: [], quality: null });
  });
});
