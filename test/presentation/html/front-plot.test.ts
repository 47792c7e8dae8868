/** The attempts section of a search's page: the front as a plot, and each attempt's proposal, quality and front flag. */
import { describe, expect, it } from '@jest/globals';
import type { AttemptRecord, GenerationReport } from '../../../src/pipeline/report.js';
import { frontSpec } from '../../../src/presentation/html/front-spec.js';
import { attemptsSection } from '../../../src/presentation/html/sections/generation.js';

const attempt = (
  n: number,
  quality: number | null,
  seconds: number,
  front: boolean,
  more: Partial<AttemptRecord> = {},
) =>
  ({
    attempt: n,
    method: 'ddpm',
    parameters: { n_iter: 100 * n },
    changes: [],
    all_green: quality !== null,
    violations: [],
    metrics: {},
    epochs_done: 100 * n,
    early_stopped_at: null,
    samples_at_edges: false,
    train_seconds: seconds,
    sample_seconds: 1,
    diagnoses: [],
    kept: n === 2,
    epsilon: null,
    pareto_front: front,
    proposal: n === 1 ? 'start' : 'bayes: TPE over 1 ddpm point(s)',
    quality,
    search_loss: quality === null ? null : -quality,
    fidelity: 1,
    pruned: null,
    elapsed_seconds: 10 * n,
    ...more,
  }) satisfies AttemptRecord;

const attempts = [
  attempt(1, 80, 10, true),
  attempt(2, 90, 20, true),
  attempt(3, 70, 30, false),
  attempt(4, null, 2, false, { pruned: { at_epoch: 40, reason: 'its checkpoint at epoch 40 was worse' } }),
];

describe('the front plot', () => {
  it('draws every judged attempt at its time and quality, the front filled, the kept one ringed; a pruned one is left out', () => {
    const spec = frontSpec(attempts) as { data: { values: { attempt: number; x: number; place: string }[] } };
    expect(spec.data.values.map((v) => [v.attempt, v.x, v.place])).toEqual([
      [1, 11, 'on the front'],
      [2, 21, 'on the front'],
      [3, 31, 'dominated'],
    ]);
    expect(frontSpec(attempts.slice(0, 1))).toBeNull();
  });

  it('puts the plot and each attempt’s proposal, quality and front flag on the page', async () => {
    const generation = {
      optimizer: {
        mode: 'search',
        search: 'bayes',
        time_budget_s: 60,
        repeatable: false,
        kept_by: null,
        judged_on: 'validation split',
        max_attempts: 10,
        kept_attempt: 2,
        ending: 'the time budget of 1 min ran out during attempt 4',
      },
      attempts,
    } as unknown as GenerationReport;
    const html = (await attemptsSection.render({ evaluation: null, generation }))!;
    expect(html).toMatch(/<figure><svg/);
    expect(html).toMatch(/Attempts: quality against time/);
    expect(html).toMatch(/by the Bayesian search, a time budget of 60 s/);
    expect(html).toMatch(/the same seed may give other attempts/);
    expect(html).toMatch(/pruned at epoch 40/);
    expect(html).toMatch(/bayes: TPE over 1 ddpm point\(s\)/);
  });
});
