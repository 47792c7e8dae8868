/**
 * `gesalp generate --method ddpm --seed 0` with default settings on the real datasets: metrics,
 * train and sample time, steps per second; then training throughput of the default model on
 * adult for each backend, in the same run. Writes bench/results/generate.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath } from './datasets.js';
import { measure, writeResults, type Case } from './measure.js';
import type { GenerationReport } from '../src/pipeline/report.js';

const THROUGHPUT = fileURLToPath(new URL('./throughput-child.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** Each run is minutes long: one per dataset unless BENCH_REPEATS asks for more. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);

function summarize(stdout: string): Record<string, unknown> {
  const r = JSON.parse(stdout) as GenerationReport;
  return {
    all_green: r.all_green,
    violations: r.violations,
    metrics: Object.fromEntries(
      Object.entries(r.evaluation.metrics).map(([k, v]) => [k, v.value === null ? null : Number(v.value.toFixed(4))]),
    ),
    train_s: r.timings_s.train,
    sample_s: r.timings_s.sample,
    rows_sampled: r.output.rows,
    epochs: r.training?.epochs_done,
    steps: r.training?.steps_done,
    steps_per_s: r.training && Number(r.training.steps_per_second.toFixed(1)),
    train_rows_per_s: r.training && Math.round(r.training.samples_per_second),
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
    benchThroughput();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows per second of the default adult model, per backend and thread count, in one run. */
function benchThroughput(): void {
  const variants = [
    { backend: 'wasm', threads: 2, epochs: 3 },
    { backend: 'wasm', threads: 1, epochs: 3 },
    { backend: 'cpu', threads: 1, epochs: 1 },
  ];
  const results = variants.map((v) => {
    process.stderr.write(`throughput ${v.backend}, ${v.threads} thread(s)\n`);
    const child = spawnSync(
      process.execPath,
      [THROUGHPUT, datasetPath('adult.csv'), v.backend, String(v.threads), String(v.epochs)],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`throughput child failed: ${child.stderr.slice(-2000)}`);
    return { ...v, ...(JSON.parse(child.stdout) as { steps_per_s: number; rows_per_s: number }) };
  });
  writeFileSync(
    join(RESULTS, 'train-throughput.json'),
    `${JSON.stringify({ benchmark: 'train-throughput', date: new Date().toISOString(), results }, null, 2)}\n`,
  );
  const rows = results.map((r) => `| ${r.backend} | ${r.threads} | ${r.epochs} | ${r.steps_per_s} | ${r.rows_per_s} |`);
  const table = ['| backend | threads | epochs | steps/s | training rows/s |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
  writeFileSync(
    join(RESULTS, 'train-throughput.md'),
    `# Training throughput, default TabDDPM on adult (26,049 training rows)\n\n${new Date().toISOString()}\n\n${table}\n`,
  );
  process.stdout.write(`training throughput\n${table}\n`);
}
