import { describe, expect, it } from '@jest/globals';
import type { AttemptPlan } from '../../src/pipeline/attempt-plan.js';
import { generate } from '../../src/pipeline/generate.js';
import { checkpointEvery } from '../../src/optimizer/early-stop.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { fakeRequest, fakeTable } from '../helpers/generate-request.js';

const ROWS = 600;
const realTable = () => fakeTable(ROWS);
const request = (overrides: Partial<GenerateRequest>, epochsToLearn?: (k: number) => number) =>
  fakeRequest(ROWS, { overrides: [{ name: 'n_iter', value: 400, source: 'test' }], ...overrides }, epochsToLearn);

/** Steps per epoch of an attempt on the training rows (70 % of the table: 20 % holdout, 10 % validation). */
const stepsPerEpoch = (a: { parameters: Record<string, number> }, train = Math.round(ROWS * 0.7)) =>
  Math.ceil(train / Math.min(a.parameters.batch_size, train));

const bayes = (maxAttempts: number): AttemptPlan => ({ kind: 'bayes', maxAttempts, methods: ['ddpm'] });

describe('the Bayesian search (pipeline, with a fake synthesizer)', () => {
  it('prunes a hopeless attempt at its first checkpoint and samples nothing from it', async () => {
    // The first two models learn quickly, the third never: its first checkpoint is far worse than theirs.
    const req = request({ plan: bayes(3), earlyStop: true }, (k) => (k === 3 ? Infinity : 60));
    const infos: string[] = [];
    const result = await generate(realTable(), req, { info: (t) => infos.push(t) });
    const [, , third] = result.report.attempts;
    expect(third.pruned).not.toBeNull();
    // Its first checkpoint: the fake trains exactly to the epoch where the policy stopped it.
    expect(third.pruned!.at_epoch).toBe(req.made[2].training!.epochsDone);
    expect(third.pruned!.at_epoch).toBe(checkpointEvery(third.parameters.n_iter, stepsPerEpoch(third)));
    expect(third.pruned!.reason).toMatch(/worse than the median/);
    expect(third).toMatchObject({ all_green: null, kept: false, quality: null, pareto_front: false });
    expect(third.fidelity!).toBeLessThan(0.5);
    expect(infos.some((t) => /^pruned at epoch/.test(t))).toBe(true);
    expect(req.made[2].disposed).toBe(true);
    expect(result.report.optimizer).toMatchObject({ mode: 'search', search: 'bayes', repeatable: true });
    expect(result.report.attempts.map((a) => a.proposal)).toEqual([
      'start',
      expect.stringMatching(/^bayes: TPE/),
      expect.stringMatching(/^bayes: TPE/),
    ]);
  });

  it('is seeded: the same seed gives the same attempts and the same rows', async () => {
    const run = () => generate(realTable(), request({ plan: bayes(4) }));
    const [a, b] = [await run(), await run()];
    expect(b.report.attempts.map((x) => x.parameters)).toEqual(a.report.attempts.map((x) => x.parameters));
    expect(b.csv).toBe(a.csv);
  });

  it('stops at the time budget and says the run is not repeatable', async () => {
    const result = await generate(realTable(), { ...request({ plan: bayes(50) }), search: { timeBudget: 1e-6 } });
    expect(result.report.attempts).toHaveLength(1);
    expect(result.report.optimizer).toMatchObject({ time_budget_s: 1e-6, repeatable: false });
    expect(result.report.optimizer.ending).toMatch(/time budget/);
  });

  it('keeps the front’s point the preference favours among the green attempts, and says so', async () => {
    const plan: AttemptPlan = { kind: 'grid', points: [{ n_iter: 350 }, { n_iter: 600 }] };
    const byStanding = await generate(realTable(), request({ plan }));
    const preferred = await generate(realTable(), { ...request({ plan }), search: { prefer: { time: 1 } } });
    const green = preferred.report.attempts.filter((a) => a.all_green);
    expect(green.length).toBe(2);
    // Both green: time decides, and the shorter training is faster (the fake's time grows with the epochs it samples nothing for? no: compare).
    const fastest = green.reduce((f, a) =>
      a.train_seconds! + a.sample_seconds! < f.train_seconds! + f.sample_seconds! ? a : f,
    );
    expect(preferred.report.optimizer.kept_by).toMatch(/the preference time=1: attempt \d/);
    expect(preferred.report.attempts.find((a) => a.kept)!.pareto_front).toBe(true);
    expect(byStanding.report.optimizer.kept_by).toBeNull();
    expect(fastest).toBeDefined();
  });
});

describe('attempts side by side', () => {
  it('runs the search two at a time: as many attempts, seeded, each charged and recorded in order', async () => {
    const run = () => generate(realTable(), { ...request({ plan: bayes(5) }), search: { parallel: 2 } });
    const [a, b] = [await run(), await run()];
    expect(a.report.attempts.map((x) => x.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(b.report.attempts.map((x) => x.parameters)).toEqual(a.report.attempts.map((x) => x.parameters));
    // Two proposals of one batch are not the same point (the pending one counts as a poor one).
    const [third, fourth] = [a.report.attempts[2].parameters, a.report.attempts[3].parameters];
    expect(third).not.toEqual(fourth);
  });
});
