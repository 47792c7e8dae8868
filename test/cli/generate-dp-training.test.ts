/**
 * generate --epsilon end to end, through real DP-SGD training. These need the training engine to
 * honour FitOptions.privacy and fill FitSummary.privacy (issue 13, the dp-engine part): until that
 * lands, every run here ends with exit 2 ("cannot train with DP-SGD in this build").
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, ROOT } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const QUICK = ['--n-iter', '3', '--param', 'num_timesteps=20', '--param', 'ema=0.9', '--threads', '1', '--seed', '3'];
const dir = mkdtempSync(join(tmpdir(), 'gesalp-dp-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOUNDS = writePenguinsBounds(dir);

describe('gesalp generate --epsilon (DP-SGD training)', () => {
  it('trains within the budget and states it in the report, the terminal and the HTML page', () => {
    const out = join(dir, 'dp.csv');
    const r = gesalp(
      [
        'generate',
        PENGUINS,
        '--epsilon',
        '5',
        '--max-attempts',
        '1',
        '--public-bounds',
        BOUNDS,
        '-o',
        out,
        '--html',
        ...QUICK,
      ],
      { cwd: dir },
    );
    expect([0, 4]).toContain(r.code);
    const report = JSON.parse(readFileSync(join(dir, 'dp.report.json'), 'utf8'));
    const p = report.privacy;
    expect(p.spent_epsilon).toBeLessThanOrEqual(p.target_epsilon);
    expect(p.total_epsilon).toBeLessThanOrEqual(5);
    // The row count, then Sex's kind and categories: the rest is declared.
    expect(p.preprocessing.estimated.map((c: { column: string }) => c.column)).toEqual(['(rows)', 'Sex', 'Sex']);
    expect(p.preprocessing.public).toHaveLength(6);
    expect(p.noise_multiplier).toBeGreaterThan(0);
    expect(p.max_grad_norm).toBe(1);
    expect(report.training.epoch_loss).toEqual([]);
    expect(r.stderr).toMatch(/privacy: total epsilon/);
    expect(readFileSync(join(dir, 'dp.report.html'), 'utf8')).toMatch(/Differential privacy/);
  }, 300000);

  it('runs --grid epsilon=, prints the table with the Pareto front and the chosen point', () => {
    const r = gesalp(
      [
        'generate',
        PENGUINS,
        '--grid',
        'epsilon=2,3',
        '--total-epsilon',
        '5',
        '--public-bounds',
        BOUNDS,
        // Public rows to choose between the points: a resampling of each column, not the input's rows.
        '--public-validation',
        join(ROOT, 'fixtures/penguins/baseline-synthetic.csv'),
        '-o',
        join(dir, 'grid.csv'),
        ...QUICK,
      ],
      { cwd: dir },
    );
    expect([0, 4]).toContain(r.code);
    expect(r.stderr).toMatch(/epsilon/);
    expect(r.stderr).toMatch(/pareto/);
    expect(r.stderr).toMatch(/chosen: attempt \d at epsilon [23]/);
    const report = JSON.parse(readFileSync(join(dir, 'grid.report.json'), 'utf8'));
    expect(report.privacy.total_epsilon).toBeLessThanOrEqual(5);
    expect(report.attempts.map((a: { epsilon: number }) => a.epsilon)).toEqual([2, 3]);
  }, 300000);
});
