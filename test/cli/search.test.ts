import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';
import { attemptPlan, SEARCH_ATTEMPTS } from '../../src/api/generate-checks.js';
import { apiOptions } from '../../src/commands/generate-flags.js';
import type { GenerateOptions } from '../../src/commands/generate-options.js';

const PENGUINS = join(process.cwd(), 'fixtures/penguins/penguins.csv');
const QUICK = ['--n-iter', '60', '--param', 'num_timesteps=20', '--threads', '1', '--seed', '3'];

describe('gesalp generate --search bayes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-search-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('searches, explains each step, marks the front, and warm-starts a second run from the first report', () => {
    const first = gesalp(
      ['generate', PENGUINS, '--search', 'bayes', '--max-attempts', '3', '-o', join(dir, 'a.csv'), ...QUICK],
      { cwd: dir },
    );
    expect([0, 4]).toContain(first.code);
    // The rules seed the second attempt where they have a change; then the surrogate proposes.
    expect(first.stderr).toMatch(/search: .*\(TPE over 2 ddpm point\(s\)/);
    expect(first.stderr).toMatch(/pareto/);
    const report = JSON.parse(readFileSync(join(dir, 'a.report.json'), 'utf8'));
    expect(report.optimizer).toMatchObject({ mode: 'search', search: 'bayes', repeatable: true, max_attempts: 3 });
    expect(report.attempts).toHaveLength(3);
    expect(report.attempts.map((a: { proposal: string }) => a.proposal)).toEqual([
      'start',
      "rules (the search's seed)",
      expect.stringMatching(/^bayes: TPE over 2 ddpm point\(s\)/),
    ]);
    for (const a of report.attempts) {
      // --n-iter was set: the search leaves it alone.
      expect(a.parameters.n_iter).toBe(60);
      expect(typeof a.pareto_front).toBe('boolean');
      expect(a.fidelity).toBeGreaterThan(0);
    }
    expect(report.attempts.some((a: { pareto_front: boolean }) => a.pareto_front)).toBe(true);

    const second = gesalp(
      [
        'generate',
        PENGUINS,
        '--search',
        'bayes',
        '--max-attempts',
        '2',
        '--previous',
        join(dir, 'a.report.json'),
        '-o',
        join(dir, 'b.csv'),
        ...QUICK,
      ],
      { cwd: dir },
    );
    expect([0, 4]).toContain(second.code);
    const warm = JSON.parse(readFileSync(join(dir, 'b.report.json'), 'utf8'));
    // The earlier run's three points and this run's first: four before the second proposal.
    expect(warm.attempts[1].proposal).toMatch(/TPE over 4 ddpm point\(s\)/);
  }, 300000);

  it('makes several attempts by default: the flags leave --max-attempts out when it was not given', () => {
    const flags = (more: Partial<GenerateOptions>) =>
      ({
        method: 'ddpm',
        holdoutFraction: 0.2,
        earlyStop: true,
        eval: true,
        idDetection: true,
        ...more,
      }) as GenerateOptions;
    expect(attemptPlan(apiOptions(flags({ search: 'bayes' }), true))).toMatchObject({ maxAttempts: SEARCH_ATTEMPTS });
    expect(attemptPlan(apiOptions(flags({ search: 'bayes', timeBudget: 60 }), true)).kind).toBe('bayes');
    expect(attemptPlan(apiOptions(flags({ search: 'bayes', maxAttempts: 3 }), true))).toMatchObject({ maxAttempts: 3 });
    expect(attemptPlan(apiOptions(flags({}), true))).toEqual({ kind: 'retry', maxAttempts: 1 });
    expect(attemptPlan(apiOptions(flags({ optimize: true }), true))).toEqual({ kind: 'retry', maxAttempts: 8 });
  });

  it.each([
    [['--search', 'bayes', '--grid', 'n_iter=100,200'], /--search bayes and --grid each choose the attempts/],
    [['--search', 'random'], /--search/],
    [['--prefer', 'speed', '--max-attempts', '2'], /--prefer: unknown objective 'speed'/],
    [['--prefer', 'time'], /--prefer chooses among several attempts/],
    [['--prefer', 'utility=-1', '--max-attempts', '2'], /--prefer utility: '-1' is not a weight/],
    [['--time-budget', '0'], /--time-budget/],
    [['--epsilon', '1', '--time-budget', '30'], /--time-budget under DP: how many attempts and epochs fit/],
    [['--ensemble', '2'], /--ensemble mixes several attempts; this run makes one/],
    [['--ensemble', '2', '--prefer', 'time', '--max-attempts', '3'], /--ensemble mixes the best attempts by quality/],
    [['--search', 'bayes', '--max-attempts', '1', '--prefer', 'time'], /--prefer chooses among several attempts/],
    [
      ['--grid', 'n_iter=10,20', '--previous', join(process.cwd(), 'fixtures/optimizer/ks-extreme.report.json')],
      /--previous warm-starts a search; --grid tries fixed points/,
    ],
    [
      [
        ...['--epsilon', '1', '--total-epsilon', '3', '--max-attempts', '2', '--prefer', 'time'],
        ...['--public-validation', join(process.cwd(), 'fixtures/penguins/baseline-synthetic.csv')],
      ],
      /--prefer time under DP/,
    ],
    [['--ensemble', '4', '--max-attempts', '3'], /--ensemble 4: a mixture takes 2 to 3 attempts/],
  ])('refuses %j with exit 2 naming the flag', (flags, message) => {
    const r = gesalp(['generate', PENGUINS, '-o', '-', '--report', join(dir, 'x.report.json'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('refuses a --previous that is missing or not a generation report, with exit 3', () => {
    const run = (previous: string) =>
      gesalp(['generate', PENGUINS, '--search', 'bayes', '--previous', previous, '-o', join(dir, 'y.csv'), ...QUICK]);
    const missing = run(join(dir, 'none.json'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cannot read --previous/);
    expect(run(PENGUINS).code).toBe(3);
    const evaluation = run('fixtures/optimizer/ks-extreme.report.json');
    expect([2, 3]).toContain(evaluation.code);
  });

  it('samples a saved TabDDPM with fewer denoising steps (--param sample_steps with --load-model), and refuses a training parameter there', () => {
    const model = join(dir, 'model');
    const trained = gesalp(['generate', PENGUINS, '--save-model', model, '-o', join(dir, 'm.csv'), ...QUICK]);
    expect([0, 4]).toContain(trained.code);
    const strided = gesalp([
      ...['generate', PENGUINS, '--load-model', model, '--param', 'sample_steps=5', '--seed', '3'],
      ...['-o', join(dir, 'strided.csv')],
    ]);
    expect(strided.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'strided.report.json'), 'utf8'));
    expect(report.parameters).toContainEqual({ name: 'sample_steps', value: 5, source: '--param' });
    const refused = gesalp([...['generate', PENGUINS, '--load-model', model, '--param', 'width=64'], '-o', '-']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/a saved model takes only sample_steps, sample_eta/);
  }, 120000);
});
