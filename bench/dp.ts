/**
 * DP-SGD on adult: `generate --epsilon 1`, `--epsilon 5` and no DP in the same run, for each
 * method asked for (default ddpm): every metric, the spent epsilon against the target, and time.
 * Writes bench/results/dp.{json,md}; BENCH_METHODS picks the methods, and such a run writes dp-<methods>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from './datasets.js';
import { summarize } from './generate.js';
import { measure, writeResults, type Case } from './measure.js';
import type { GenerationReport } from '../src/pipeline/report.js';

const METHODS = process.env.BENCH_METHODS?.split(',') ?? ['ddpm'];
const EPSILONS = [null, 5, 1];
/**
 * Epochs of every run, DP or not (the same for all, so the runs differ only in privacy). Under DP
 * early stopping is off, so the size default (700 on adult) would train to the end; 100 keeps the
 * benchmark in minutes, and fewer steps also need less noise for the same epsilon.
 */
const EPOCHS = process.env.BENCH_DP_N_ITER ?? '100';

function summarizePrivate(stdout: string): Record<string, unknown> {
  const privacy = (JSON.parse(stdout) as GenerationReport).privacy as Record<string, unknown> | null;
  return { ...summarize(stdout), privacy };
}

export async function benchDp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const cases: Case[] = METHODS.flatMap((method) =>
      EPSILONS.map((epsilon) => ({
        name: `adult: generate --method ${method} --seed 0 --n-iter ${EPOCHS}${epsilon === null ? ' (no DP)' : ` --epsilon ${epsilon}`}`,
        args: [
          'generate',
          datasetPath('adult.csv'),
          '--method',
          method,
          '--seed',
          '0',
          '--n-iter',
          EPOCHS,
          ...(epsilon === null ? [] : ['--epsilon', String(epsilon)]),
          '-o',
          join(dir, `adult-${method}-${epsilon ?? 'none'}.csv`),
        ],
        repeats: 1,
        okExits: [0, 4],
      })),
    );
    writeResults(
      process.env.BENCH_METHODS ? `dp-${METHODS.join('-')}` : 'dp',
      'gesalp generate on adult with DP-SGD at epsilon 5 and 1, and without',
      cases.map((c) => measure(c, summarizePrivate)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
