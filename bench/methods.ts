/**
 * The three methods side by side with defaults (`generate --method M --seed 0`) on adult,
 * german_credit and california_housing: every metric, train time and seconds per epoch on the
 * default (fused) backend. Writes bench/results/methods.{json,md}; BENCH_METHODS and
 * BENCH_DATASETS (comma lists) narrow the run, and a narrowed run writes methods-<datasets>[-<methods>].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from './datasets.js';
import { summarize } from './generate.js';
import { measure, writeResults, type Case } from './measure.js';

const METHODS = process.env.BENCH_METHODS?.split(',') ?? ['ddpm', 'ctgan', 'tvae'];
const DATASETS = process.env.BENCH_DATASETS?.split(',') ?? ['adult', 'german_credit', 'california_housing'];

export async function benchMethods(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const cases: Case[] = DATASETS.flatMap((name) =>
      METHODS.map((method) => ({
        name: `${name}: generate --method ${method} --seed 0 (defaults)`,
        args: [
          'generate',
          datasetPath(`${name}.csv`),
          '--method',
          method,
          '--seed',
          '0',
          '-o',
          join(dir, `${name}-${method}.csv`),
        ],
        repeats: 1,
        okExits: [0, 4],
      })),
    );
    writeResults(
      process.env.BENCH_DATASETS || process.env.BENCH_METHODS
        ? `methods-${DATASETS.join('-')}${process.env.BENCH_METHODS ? `-${METHODS.join('-')}` : ''}`
        : 'methods',
      'gesalp generate: TabDDPM, CTGAN and TVAE with defaults',
      cases.map((c) => measure(c, summarize)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
