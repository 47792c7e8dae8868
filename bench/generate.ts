/**
 * `gesalp generate --method ddpm --seed 0` with default settings on the real datasets: metrics,
 * train and sample time, steps per second. Writes bench/results/generate.{json,md}; training
 * throughput per engine is bench/throughput.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetPath } from './datasets.js';
import { measure, writeResults, type Case } from './measure.js';
import type { GenerationReport } from '../src/pipeline/report.js';

/** Each run is minutes long: one per dataset unless BENCH_REPEATS asks for more. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);

export function summarize(stdout: string): Record<string, unknown> {
  const r = JSON.parse(stdout) as GenerationReport;
  return {
    all_green: r.all_green,
    violations: r.violations.map((v) => v.metric),
    metrics: Object.fromEntries(
      Object.entries(r.evaluation?.metrics ?? {}).map(([k, v]) => [
        k,
        v.value === null ? null : Number(v.value.toFixed(4)),
      ]),
    ),
    train_s: r.timings_s.train,
    seconds_per_epoch:
      r.training && r.timings_s.train && Number((r.timings_s.train / r.training.epochs_done).toFixed(3)),
    sample_s: r.timings_s.sample,
    // Past a chunk the rows after the first are sampled (and written) after the attempts.
    sample_chunks_s: r.timings_s.sample_and_write_chunks ?? null,
    rows_sampled: r.output.rows,
    epochs: r.training?.epochs_done,
    steps: r.training?.steps_done,
    steps_per_s: r.training && Number((r.training.steps_per_second ?? NaN).toFixed(1)),
    train_rows_per_s: r.training && Math.round(r.training.samples_per_second ?? NaN),
    threads: r.training?.threads,
    parameters: Object.fromEntries(r.parameters.map((p) => [p.name, p.value])),
  };
}

export async function benchGenerate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  try {
    const only = process.env.BENCH_DATASETS?.split(',');
    const names = ['adult', 'california_housing', 'abalone', 'german_credit'].filter((n) => !only || only.includes(n));
    const cases: Case[] = names.map((name) => ({
      name: `${name}: generate --method ddpm --seed 0 (defaults)`,
      args: ['generate', datasetPath(`${name}.csv`), '--method', 'ddpm', '--seed', '0', '-o', join(dir, `${name}.csv`)],
      target: name === 'adult' ? { seconds: 900 } : undefined,
      repeats: REPEATS,
      okExits: [0, 4],
    }));
    writeResults(
      'generate',
      'gesalp generate (TabDDPM)',
      cases.map((c) => measure(c, summarize)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
