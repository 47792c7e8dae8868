/**
 * Issue 28 item 12: every method trained in epochs estimates its training time, and the estimate
 * holds against the benchmark's recorded runs (bench/results/methods-*.json: the estimate for the
 * epochs each run trained against its measured train_s), within a factor of 2.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { REGISTRY } from '../../src/models/registry.js';
import { fewEpochsWarning, suggest, trainingEstimate } from '../../src/optimizer/suggest.js';
import { ROOT } from '../helpers/cli.js';

/** The tables as `gesalp suggest --input ../shared/datasets/NAME.csv` reads them (training rows, encoded width). */
const TABLES: Record<string, { rows: number; width: number }> = {
  adult: { rows: 26049, width: 110 },
  california_housing: { rows: 16512, width: 16 },
  german_credit: { rows: 800, width: 73 },
};

interface Run {
  readonly name: string;
  readonly args: string[];
  readonly output: { train_s: number; epochs: number; parameters: Record<string, number> };
}

const runs: (Run & { method: string; table: string })[] = Object.keys(TABLES).flatMap((table) =>
  (JSON.parse(readFileSync(`${ROOT}bench/results/methods-${table}.json`, 'utf8')) as { results: Run[] }).results.map(
    (r) => ({ ...r, method: r.args[r.args.indexOf('--method') + 1], table }),
  ),
);

describe('training-time estimates', () => {
  it('exist for TabDDPM, CTGAN and TVAE', () => {
    for (const method of ['ddpm', 'ctgan', 'tvae']) {
      const s = suggest({ method, trainRows: 9600, columns: 10, inputWidth: 30 });
      expect(s.estimate?.seconds).toBeGreaterThan(0);
      expect(s.estimate?.basis).toMatch(/training rows\/s/);
    }
  });

  it.each(['ddpm', 'ctgan', 'tvae'])('%s: within a factor of 2 of every recorded train time', (method) => {
    const mine = runs.filter((r) => r.method === method);
    expect(mine).toHaveLength(3);
    for (const r of mine) {
      const { rows, width } = TABLES[r.table];
      const params = { ...r.output.parameters, n_iter: r.output.epochs };
      const ratio = trainingEstimate(REGISTRY.get(method), params, rows, width)!.seconds / r.output.train_s;
      expect([r.name, ratio > 0.5 && ratio < 2]).toEqual([r.name, true]);
    }
  });

  it('is no longer 3-4x too slow for TabDDPM on adult (the stale 8,650 rows/s)', () => {
    const adult = runs.find((r) => r.method === 'ddpm' && r.table === 'adult')!;
    const params = { ...adult.output.parameters, n_iter: adult.output.epochs };
    const seconds = trainingEstimate(REGISTRY.get('ddpm'), params, 26049, 110)!.seconds;
    expect(seconds / adult.output.train_s).toBeLessThan(1.25);
  });

  it.each([
    ['ddpm', 100000],
    ['ctgan', 20000],
    ['tvae', 20000],
  ] as const)('%s: stops growing with the rows past its step cap (%i), and says the rule', (method, cap) => {
    const at = (rows: number) => suggest({ method, trainRows: rows, columns: 15, inputWidth: 110 });
    const adult = at(26049);
    expect(adult.parameters.find((p) => p.name === 'n_iter')?.source).toMatch(/up to [\d,]+ steps$/);
    // Flat within an epoch's rounding up to where one epoch alone passes the cap (10M-25M rows).
    const sizes = [520976, 1_000_000, 2_000_000].map(at);
    for (const s of sizes) {
      const nIter = s.parameters.find((p) => p.name === 'n_iter')!;
      expect(nIter.source).toContain(`steps capped at ${cap.toLocaleString('en-US')}`);
      expect(s.estimate!.basis).toContain(`n_iter from ${nIter.source}`);
      // At most the cap over adult's steps (1.3-1.4x) times adult's estimate: no longer linear in the rows.
      expect(s.estimate!.seconds / adult.estimate!.seconds).toBeLessThan(1.5);
      expect(s.warnings.join(' ')).not.toMatch(/below 300/);
    }
    expect(sizes[2].estimate!.seconds / sizes[0].estimate!.seconds).toBeLessThan(1.1);
  });

  it('still warns under 300 epochs a user gives, not under the epochs of a step cap', () => {
    expect(fewEpochsWarning(50)).toMatch(/n_iter 50 is below 300/);
    expect(fewEpochsWarning(50, 'previous run')).toMatch(/below 300/);
    expect(fewEpochsWarning(50, 'ddpm-size-n-iter: over 20K training rows, steps capped at 100,000')).toBeNull();
  });
});
