import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createRng } from '../../src/core/rng.js';
import { BIN, gesalp, ROOT } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'gesalp-aim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOUNDS = writePenguinsBounds(dir);

// Several DP attempts are judged on public rows only: every fourth penguin is public, the rest private.
const [header, ...lines] = readFileSync(PENGUINS, 'utf8').trim().split('\n');
const PRIVATE = join(dir, 'private.csv');
const PUBLIC = join(dir, 'public.csv');
writeFileSync(PRIVATE, `${[header, ...lines.filter((_, i) => i % 4 !== 3)].join('\n')}\n`);
writeFileSync(PUBLIC, `${[header, ...lines.filter((_, i) => i % 4 === 3)].join('\n')}\n`);

const runOn = (input: string, name: string, ...args: string[]) => {
  const out = join(dir, `${name}.csv`);
  const r = gesalp(['generate', input, '--seed', '1', '-o', out, '--no-color', ...args], { cwd: dir });
  const report =
    r.code === 0 || r.code === 4 ? JSON.parse(readFileSync(join(dir, `${name}.report.json`), 'utf8')) : null;
  return { ...r, report, out };
};
const run = (name: string, ...args: string[]) => runOn(PENGUINS, name, ...args);

describe('gesalp generate --method aim', () => {
  it('without --epsilon measures exact marginals: rows, a report without a privacy section, the model saved', () => {
    const r = run('exact', '--method', 'aim', '--save-model', join(dir, 'model'));
    expect([0, 4]).toContain(r.code);
    expect(r.report.method).toBe('aim');
    expect(r.report.privacy).toBeNull();
    expect(r.report.parameters.map((p: { name: string }) => p.name)).toEqual([
      'degree',
      'bins',
      'max_model_mb',
      'rounds_per_column',
      'iterations',
      'final_iterations',
    ]);
    expect(readFileSync(r.out, 'utf8').trim().split('\n')).toHaveLength(345);
    expect(r.report.evaluation.metrics.ks_mean.value).toBeLessThan(0.1);
    expect(r.stderr).not.toMatch(/n_iter/);
    // The saved model samples again, conditioned exactly.
    const again = gesalp(
      [
        'generate',
        PENGUINS,
        '--load-model',
        join(dir, 'model'),
        '--condition',
        'Species=Gentoo',
        '-n',
        '50',
        '-o',
        join(dir, 'gentoo.csv'),
      ],
      { cwd: dir },
    );
    expect([0, 4]).toContain(again.code);
    const lines = readFileSync(join(dir, 'gentoo.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines).toHaveLength(50);
    expect(lines.every((line) => line.startsWith('Gentoo,'))).toBe(true);
  });

  it('with --epsilon accounts in zCDP: rho, each stage and round, the marginals, within the budget', () => {
    const r = run('dp', '--method', 'aim', '--epsilon', '3', '--public-bounds', BOUNDS);
    expect([0, 4]).toContain(r.code);
    const p = r.report.privacy;
    expect(p.total_epsilon).toBeLessThanOrEqual(3);
    expect(p.noise_multiplier).toBeNull();
    expect(p.zcdp.conversion).toMatch(/Canonne, Kamath and Steinke/);
    expect(p.zcdp.spent_rho).toBeLessThanOrEqual(p.zcdp.rho);
    expect(p.zcdp.stages.map((s: { stage: string }) => s.stage)).toContain('one-way marginals');
    expect(p.zcdp.rounds.length).toBeGreaterThan(0);
    expect(p.zcdp.rounds[0]).toEqual(
      expect.objectContaining({
        selection_rho: expect.any(Number),
        measurement_rho: expect.any(Number),
        marginal: expect.any(Array),
      }),
    );
    expect(r.stderr).toMatch(/as zCDP rho [\d.]+ of [\d.]+ \(Canonne, Kamath and Steinke 2020\), \d+ rounds measuring/);
  });

  it('--method auto picks aim under --epsilon and says why', () => {
    const r = run('auto', '--method', 'auto', '--epsilon', '3', '--public-bounds', BOUNDS);
    expect([0, 4]).toContain(r.code);
    expect(r.report.method).toBe('aim');
    expect(r.stderr).toMatch(/method: aim \(auto: a privacy budget/);
  });

  it('--grid epsilon= runs one aim model per epsilon and keeps the best', () => {
    const r = runOn(
      PRIVATE,
      'grid',
      '--public-validation',
      PUBLIC,
      // 86 public rows: the noisy overlap count needs a larger preprocessing share than the default.
      '--preprocessing-fraction',
      '0.5',
      '--method',
      'aim',
      '--grid',
      'epsilon=2,4',
      '--total-epsilon',
      '6',
      '--public-bounds',
      BOUNDS,
    );
    expect([0, 4]).toContain(r.code);
    expect(r.report.attempts.map((a: { epsilon: number }) => a.epsilon)).toEqual([2, 4]);
    expect(r.report.privacy.total_epsilon).toBeLessThanOrEqual(6);
  });

  it('refuses the epoch flags, naming the method (exit 2), before reading the input', () => {
    const r = gesalp(['generate', 'no-such.csv', '--method', 'aim', '--n-iter', '50'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--n-iter does not apply to method aim: it has no parameter n_iter/);
    expect(r.stderr).toMatch(/degree, bins, max_model_mb/);
  });

  it('holds back no validation split, which it would never use (it has no checkpoints)', () => {
    const r = run('nosplit', '--method', 'aim', '--param', 'rounds_per_column=2');
    expect([0, 4]).toContain(r.code);
    expect(r.stderr).toMatch(/split: \d+ training rows, \d+ holdout rows/);
    expect(r.stderr).not.toMatch(/validation/);
  });

  it('refuses before any work a --save-model that is a file, or empty, and -n past the cap counted per condition value', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const onFile = run(
      'savefile',
      '--method',
      'aim',
      '--epsilon',
      '2',
      '--public-bounds',
      BOUNDS,
      '--save-model',
      file,
    );
    expect(onFile.code).toBe(3);
    expect(onFile.stderr).toMatch(/--save-model .*a-file exists and is not a folder/);
    expect(onFile.stderr).not.toMatch(/trained|read /);
    expect(run('saveempty', '--method', 'aim', '--save-model', '').code).toBe(2);
    const big = run(
      'big',
      '--method',
      'aim',
      '-n',
      '80000000',
      '--condition',
      'Species=Adelie',
      '--condition',
      'Species=Gentoo',
    );
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /80,000,000 rows for each of 2 condition values of 7 columns is 1,120,000,000 cells; one run samples at most 1,000,000,000/,
    );
  });

  it('stops between rounds on Ctrl-C and samples from what it has (a fit no longer blocks the signal)', async () => {
    // 110 binary columns: the exact rounds take tens of seconds, the first ones under a second.
    const wide = join(dir, 'wide.csv');
    const rng = createRng(1);
    const names = Array.from({ length: 110 }, (_, i) => `c${i}`);
    const lines = Array.from({ length: 300 }, () => names.map(() => (rng.next() < 0.5 ? 'a' : 'b')).join(','));
    writeFileSync(wide, `${[names.join(','), ...lines].join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'generate', wide, '--method', 'aim', '-o', join(dir, 'wide.out.csv')], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Training starts after the split line: interrupt it there.
      if (!sent && /split: /.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 500);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/stopping training after this step/);
    expect(stderr).toMatch(/training stopped after \d+ of \d+ rounds; sampling from what was learnt/);
    expect(readFileSync(join(dir, 'wide.out.csv'), 'utf8').trim().split('\n')).toHaveLength(301);
  });

  it('refuses without DP a --condition value so rare that its rows would be copies of the few that hold it', () => {
    const rare = join(dir, 'rare.csv');
    writeFileSync(rare, `${readFileSync(PENGUINS, 'utf8').trimEnd()}\nEmperor,Torgersen,39.1,18.7,181,3750,MALE\n`);
    const r = runOn(rare, 'rare-out', '--method', 'aim', '--condition', 'Species=Emperor');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Species=Emperor: about [01] training row\(s\) hold that value/);
  });

  it('samples a saved model with --no-eval: rows and report, no metrics; --no-eval without --load-model is exit 2', () => {
    const model = join(dir, 'noeval-model');
    expect([0, 4]).toContain(run('noeval-train', '--method', 'aim', '--save-model', model).code);
    const r = run('noeval', '--load-model', model, '-n', '20', '--no-eval');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/metrics: not computed \(--no-eval\)/);
    expect(r.report.evaluation).toBeNull();
    expect(readFileSync(r.out, 'utf8').trim().split('\n')).toHaveLength(21);
    const refused = run('noeval-train2', '--method', 'aim', '--no-eval');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--no-eval applies to --load-model/);
  });

  it('refuses --max-grad-norm, which bounds DP-SGD gradients that aim does not have (exit 2)', () => {
    const r = run('gradnorm', '--method', 'aim', '--epsilon', '2', '--public-bounds', BOUNDS, '--max-grad-norm', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-grad-norm does not apply to method aim/);
  });
});
