/**
 * DP-SGD on adult: `generate --epsilon 1`, `--epsilon 5` and no DP in the same run, for each
 * method asked for (default ddpm): every metric, the spent epsilon against the target, and time.
 * Writes bench/results/dp.{json,md}; BENCH_METHODS picks the methods, and such a run writes dp-<methods>.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from './datasets.js';
import { summarize } from './generate.js';
import { measure, writeResults, type Case } from './measure.js';
import type { PrivateEvaluation } from '../src/pipeline/private-evaluation.js';
import type { GenerationReport } from '../src/pipeline/report.js';

const METHODS = process.env.BENCH_METHODS?.split(',') ?? ['ddpm'];
/** BENCH_DP_EPSILONS=5,1 leaves the run without DP out (its figures do not move with the privacy code). */
const EPSILONS: (number | null)[] = process.env.BENCH_DP_EPSILONS?.split(',').map(Number) ?? [null, 5, 1];
/**
 * Epochs of every run, DP or not (the same for all, so the runs differ only in privacy). Under DP
 * early stopping is off, so the size default (700 on adult) would train to the end; 100 keeps the
 * benchmark in minutes, and fewer steps also need less noise for the same epsilon.
 */
const EPOCHS = process.env.BENCH_DP_N_ITER ?? '100';

/**
 * A DP run's report holds only DP releases: its metrics against the real rows are read from the
 * private report beside it (--private-report, outside the guarantee), as summarize reads a plain one.
 */
function summarizePrivate(privateReport: string | null) {
  return (stdout: string): Record<string, unknown> => {
    const report = JSON.parse(stdout) as GenerationReport;
    if (!privateReport) return { ...summarize(stdout), privacy: null };
    const evaluation = (JSON.parse(readFileSync(privateReport, 'utf8')) as PrivateEvaluation).evaluation;
    return {
      ...summarize(
        JSON.stringify({
          ...report,
          evaluation,
          all_green: evaluation.all_green,
          violations: evaluation.violations.map((v) => v.metric),
        }),
      ),
      privacy: report.privacy,
    };
  };
}

export async function benchDp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const cases = METHODS.flatMap((method) =>
      EPSILONS.map((epsilon) => ({
        privateReport: epsilon === null ? null : join(dir, `adult-${method}-${epsilon}.private-report.json`),
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
          ...(epsilon === null
            ? []
            : [
                '--epsilon',
                String(epsilon),
                '--private-report',
                join(dir, `adult-${method}-${epsilon}.private-report.json`),
              ]),
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
      cases.map(({ privateReport, ...c }: Case & { privateReport: string | null }) =>
        measure(c, summarizePrivate(privateReport)),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
