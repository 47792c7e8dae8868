/**
 * Wall time and peak memory of `gesalp evaluate` on real datasets, medians of repeated runs,
 * variants compared in the same run. Writes bench/results/evaluate.{json,md}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath, shuffled, splitAndResample } from './datasets.js';
import { measure, writeResults, type Case } from './measure.js';

export async function benchEvaluate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    process.stderr.write('preparing inputs...\n');
    const adult = await splitAndResample(datasetPath('adult.csv'), dir, 1);
    const flights = datasetPath('vega_flights-3m.csv');
    const flightsShuffled = await shuffled(flights, join(dir, 'flights-3m-shuffled.csv'), 2);
    const adultArgs = ['evaluate', adult.train, adult.synthetic, '--holdout', adult.holdout];
    const cases: Case[] = [
      {
        name: 'adult: train 26,049 vs resample, holdout 6,512 (2 threads)',
        args: [...adultArgs, '--threads', '2'],
        target: { seconds: 5 },
      },
      { name: 'adult: same, 1 thread', args: [...adultArgs, '--threads', '1'] },
      {
        name: 'flights-3m vs itself shuffled',
        args: ['evaluate', flights, flightsShuffled],
        target: { seconds: 60, mb: 4096 },
      },
    ];
    const metrics = (stdout: string) => {
      const report = JSON.parse(stdout) as { metrics: Record<string, { value: number | null }> };
      return Object.fromEntries(Object.entries(report.metrics).map(([k, v]) => [k, v.value]));
    };
    writeResults(
      'evaluate',
      'gesalp evaluate',
      cases.map((c) => measure(c, metrics)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
