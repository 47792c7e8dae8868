/**
 * DP-SGD on adult: `generate --epsilon 1`, `--epsilon 5` and no DP in the same run, for each
 * method that trains under DP: every metric, the spent epsilon against the target, and time.
 * Writes bench/results/dp.{json,md}. BENCH_METHODS narrows the methods.
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

function summarizePrivate(stdout: string): Record<string, unknown> {
  const privacy = (JSON.parse(stdout) as GenerationReport).privacy as Record<string, unknown> | null;
  return { ...summarize(stdout), privacy };
}

export async function benchDp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const cases: Case[] = METHODS.flatMap((method) =>
      EPSILONS.map((epsilon) => ({
        name: `adult: generate --method ${method} --seed 0${epsilon === null ? ' (no DP)' : ` --epsilon ${epsilon}`}`,
        args: [
          'generate',
          datasetPath('adult.csv'),
          '--method',
          method,
          '--seed',
          '0',
          ...(epsilon === null ? [] : ['--epsilon', String(epsilon)]),
          '-o',
          join(dir, `adult-${method}-${epsilon ?? 'none'}.csv`),
        ],
        repeats: 1,
        okExits: [0, 4],
      })),
    );
    writeResults(
      'dp',
      'gesalp generate on adult with DP-SGD at epsilon 5 and 1, and without',
      cases.map((c) => measure(c, summarizePrivate)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
