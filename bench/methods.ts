/**
 * The three methods side by side with defaults (`generate --method M --seed 0`) on adult,
 * german_credit and california_housing: every metric, train time and seconds per epoch on the
 * default (fused) backend, and beside the train time the estimate `gesalp suggest` gives for the
 * same run (bench/estimate.ts). Writes bench/results/methods.{json,md}; BENCH_METHODS and
 * BENCH_DATASETS (comma lists) narrow the run, and a narrowed run writes methods-<datasets>[-<methods>].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from './datasets.js';
import { estimateColumns, tableFacts, type RecordedRun } from './estimate.js';
import { summarize } from './generate.js';
import { measure, writeResults, type Case, type Measured } from './measure.js';

const METHODS = process.env.BENCH_METHODS?.split(',') ?? ['ddpm', 'ctgan', 'tvae'];
const DATASETS = process.env.BENCH_DATASETS?.split(',') ?? ['adult', 'german_credit', 'california_housing'];

export async function benchMethods(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const cases = DATASETS.flatMap((name) =>
      METHODS.map((method): Case & { path: string; method: string } => {
        const path = datasetPath(`${name}.csv`);
        return {
          name: `${name}: generate --method ${method} --seed 0 (defaults)`,
          path,
          method,
          args: ['generate', path, '--method', method, '--seed', '0', '-o', join(dir, `${name}-${method}.csv`)],
          repeats: 1,
          okExits: [0, 4],
        };
      }),
    );
    const results: Measured[] = [];
    for (const { path, method, ...c } of cases) {
      const table = await tableFacts(path);
      const measured = measure(c, summarize);
      const estimate = estimateColumns(method, table, measured.output as unknown as RecordedRun);
      results.push({ ...measured, output: { ...measured.output, ...estimate } });
    }
    writeResults(
      process.env.BENCH_DATASETS || process.env.BENCH_METHODS
        ? `methods-${DATASETS.join('-')}${process.env.BENCH_METHODS ? `-${METHODS.join('-')}` : ''}`
        : 'methods',
      'gesalp generate: TabDDPM, CTGAN and TVAE with defaults',
      results,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
