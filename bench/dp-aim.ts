/**
 * The DP benchmark (issue 26's protocol): on adult and california_housing, a seeded 80/20 split
 * written to files (every method trains on the same rows and is judged on the same holdout),
 * bounds and category lists declared public from the training rows, delta 1e-6, epsilon 5 and 1
 * (and no DP for aim). Each run is `generate TRAIN --holdout-fraction 0` (or the MST baseline's
 * child), timed with its peak memory; its rows are then judged by `gesalp evaluate TRAIN SYNTH
 * --holdout HOLDOUT --target T`, and by the mean two-way TVD on evaluation bins no method chooses
 * (bench/pairwise-tvd.ts). AIM's decode floor (no noise at all) is reported per table.
 * `npm run bench dp` runs it after the DP-SGD benchmark (bench/dp.ts), `npm run bench dp-aim` alone.
 * BENCH_DP_AIM_METHODS (default aim,mst; also ddpm, tvae, ctgan at --n-iter 100), BENCH_DATASETS and
 * BENCH_EPSILONS narrow it, BENCH_DP_REPEATS repeats every run (DP noise differs each time, so the
 * means say more than one run); results go to bench/results/dp-<methods>.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInputs } from '../src/core/io/load-inputs.js';
import { decodeFloor } from './decode-floor.js';
import { measure, writeResults, type Case, type Measured } from './measure.js';
import { pairwiseTvd } from './pairwise-tvd.js';
import { publicSplit, type PublicSplit } from './public-split.js';
import type { GenerationReport } from '../src/pipeline/report.js';

const METHODS = process.env.BENCH_DP_AIM_METHODS?.split(',') ?? ['aim', 'mst'];
const DATASETS = process.env.BENCH_DATASETS?.split(',') ?? ['adult', 'california_housing'];
const EPSILONS: (number | null)[] = process.env.BENCH_EPSILONS?.split(',').map((e) =>
  e === 'none' ? null : Number(e),
) ?? [null, 5, 1];
const REPEATS = Number(process.env.BENCH_DP_REPEATS ?? 1);
const TARGET: Record<string, string> = { adult: 'income', california_housing: 'median_house_value' };
const DELTA = '1e-6';
/** DP-SGD methods train this many epochs (as the earlier DP benchmark did): minutes, not hours. */
const DP_SGD_EPOCHS = '100';
const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const MST_CHILD = fileURLToPath(new URL('./mst-child.js', import.meta.url));
const METRICS = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'ml_efficacy', 'detection_auc'];

interface Run {
  readonly dataset: string;
  readonly method: string;
  readonly epsilon: number | null;
  readonly out: string;
  readonly repeat: number;
}

const runName = (run: Omit<Run, 'out' | 'repeat'>) =>
  `${run.dataset}: ${run.method}${run.epsilon === null ? ' (no DP)' : ` epsilon ${run.epsilon}`}`;

function runCase(split: PublicSplit, run: Run): Case {
  const dp =
    run.epsilon === null ? [] : ['--epsilon', String(run.epsilon), '--delta', DELTA, '--public-bounds', split.bounds];
  const name = `${runName(run)}${REPEATS > 1 ? ` #${run.repeat}` : ''}`;
  if (run.method === 'mst')
    return {
      name,
      script: MST_CHILD,
      args: [split.train, split.bounds, String(run.epsilon), DELTA, run.out, '0'],
      repeats: 1,
    };
  const epochs = run.method === 'aim' ? [] : ['--n-iter', DP_SGD_EPOCHS];
  return {
    name,
    args: [
      'generate',
      split.train,
      '--holdout-fraction',
      '0',
      '--method',
      run.method,
      '--seed',
      '0',
      ...epochs,
      ...dp,
      '-o',
      run.out,
    ],
    repeats: 1,
    okExits: [0, 4],
  };
}

/** What the rows are worth: gesalp evaluate against the training rows and the holdout, and the two-way TVD. */
async function judge(split: PublicSplit, run: Run, stdout: string) {
  const evaluated = spawnSync(
    process.execPath,
    [
      BIN,
      'evaluate',
      split.train,
      run.out,
      '--holdout',
      split.holdout,
      '--target',
      TARGET[run.dataset],
      '--json',
      '-q',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (evaluated.status !== 0 && evaluated.status !== 4) throw new Error(`evaluate failed: ${evaluated.stderr}`);
  const report = JSON.parse(evaluated.stdout) as {
    all_green: boolean;
    metrics: Record<string, { value: number | null }>;
  };
  const metrics = Object.fromEntries(METRICS.map((id) => [id, round(report.metrics[id]?.value ?? null)]));
  const { tables } = await loadInputs([split.train, run.out], {});
  const bounds = JSON.parse(readFileSync(split.bounds, 'utf8')) as {
    columns: Record<string, { min?: number; max?: number }>;
  };
  const numeric = new Map(
    Object.entries(bounds.columns).flatMap(([k, v]) => (v.min !== undefined ? [[k, { min: v.min, max: v.max! }]] : [])),
  );
  const required = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc'];
  const green = required.every((id) => {
    const v = report.metrics[id]?.value;
    return v !== null && v !== undefined && (id === 'mia_auc' ? v <= 0.6 : id === 'dup_rate' ? v <= 0.05 : v <= 0.1);
  });
  const generated = run.method === 'mst' ? (JSON.parse(stdout) as Record<string, unknown>) : generationSummary(stdout);
  return {
    green_required: green,
    metrics,
    pairwise_tvd: round(pairwiseTvd(tables[0], tables[1], numeric)),
    ...generated,
  };
}

function generationSummary(stdout: string) {
  const r = JSON.parse(stdout) as GenerationReport;
  const z = r.privacy?.zcdp;
  return {
    train_s: r.timings_s.train,
    rounds: r.training?.epochs_done ?? null,
    privacy: r.privacy
      ? {
          total_epsilon: r.privacy.total_epsilon,
          spent_epsilon: r.privacy.spent_epsilon,
          rho: z?.rho,
          spent_rho: z?.spent_rho,
        }
      : null,
    marginals: z ? z.rounds.map((m) => m.marginal.join(' x ')) : undefined,
    parameters: Object.fromEntries(r.parameters.map((p) => [p.name, p.value])),
  };
}

const round = (x: number | null): number | null => (x === null ? null : Number(x.toFixed(4)));

export async function benchDpAim(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-dp-'));
  const name = `dp-${METHODS.join('-')}`;
  try {
    const measured: Row[] = [];
    const floors: Record<string, unknown>[] = [];
    for (const dataset of DATASETS) {
      const split = await publicSplit(dataset, dir);
      if (METHODS.includes('aim')) {
        const { tables } = await loadInputs([split.train], {});
        const { decoded: _decoded, ...floor } = await decodeFloor(tables[0]);
        floors.push({ dataset, ...Object.fromEntries(Object.entries(floor).map(([k, v]) => [k, round(v)])) });
      }
      for (const method of METHODS)
        for (const epsilon of EPSILONS) {
          // MST is a DP mechanism only, and DP-SGD without DP is the methods benchmark.
          if (epsilon === null && method !== 'aim') continue;
          for (let repeat = 1; repeat <= REPEATS; repeat++) {
            const out = join(dir, `${dataset}-${method}-${epsilon ?? 'none'}-${repeat}.csv`);
            const run = { dataset, method, epsilon, out, repeat };
            const load = loadavg().map((x) => Number(x.toFixed(2)));
            let stdout = '';
            const result = measure(runCase(split, run), (text) => ((stdout = text), {}));
            measured.push({ ...result, load, group: runName(run), output: await judge(split, run, stdout) });
          }
        }
    }
    writeResults(
      name,
      `DP (issue 26 protocol: seeded 80/20 split, public bounds from the training rows, delta ${DELTA})`,
      measured,
    );
    appendFileSync(resultsPath(`${name}.md`), metricsTable(measured, floors));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const resultsPath = (file: string) => fileURLToPath(new URL(`../../bench/results/${file}`, import.meta.url));

type Row = Measured & { load: number[]; group: string };

function metricsTable(measured: Row[], floors: Record<string, unknown>[]): string {
  const cell = (x: unknown) => (x === null || x === undefined ? '-' : String(x));
  const rows = measured.map((m) => {
    const o = m.output as { green_required: boolean; metrics: Record<string, number | null>; pairwise_tvd: number };
    return `| ${m.name} | ${o.green_required ? 'yes' : 'no'} | ${METRICS.map((id) => cell(o.metrics[id])).join(' | ')} | ${o.pairwise_tvd} | ${m.median_wall_s} | ${m.median_rss_mb} | ${m.load.join(' ')} |`;
  });
  const floorRows = floors.map(
    (f) => `| ${f.dataset} | ${cell(f.ks_mean)} | ${cell(f.tvd_mean)} | ${cell(f.corr_delta)} |`,
  );
  return [
    '',
    '## Metrics (gesalp evaluate against the training rows and the holdout)',
    '',
    '"green" is ks_mean, tvd_mean, corr_delta <= 0.1, dup_rate <= 0.05 and mia_auc <= 0.6; 2-way TVD is the mean over every pair of columns on evaluation bins no method chooses (bench/pairwise-tvd.ts). The load is the 1, 5 and 15 minute load average when the run started, on a machine of 2 cores shared with other work: timings are inflated accordingly.',
    '',
    `| run | green | ${METRICS.join(' | ')} | 2-way TVD | wall s | peak MB | load |`,
    `|---|---|${METRICS.map(() => '---').join('|')}|---|---|---|---|`,
    ...rows,
    '',
    ...(REPEATS > 1 ? meansTable(measured) : []),
    ...(floors.length
      ? [
          "## AIM's decode floor (training rows -> bins -> decode, no noise)",
          '',
          '| table | ks_mean | tvd_mean | corr_delta |',
          '|---|---|---|---|',
          ...floorRows,
          '',
        ]
      : []),
  ].join('\n');
}

/** Per run, the mean of its repeats (and their range), for the figures the acceptance compares. */
function meansTable(measured: Row[]): string[] {
  const groups = [...new Set(measured.map((m) => m.group))];
  const stat = (rows: Row[], read: (o: Judged) => number | null) => {
    const values = rows.map((r) => read(judged(r))).filter((v): v is number => v !== null);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `${mean.toFixed(4)} (${Math.min(...values).toFixed(4)}-${Math.max(...values).toFixed(4)})`;
  };
  return [
    `## Means of ${REPEATS} repeats (min-max)`,
    '',
    '| run | green in all | ks_mean | tvd_mean | corr_delta | 2-way TVD | ml_efficacy | wall s |',
    '|---|---|---|---|---|---|---|---|',
    ...groups.map((g) => {
      const rows = measured.filter((m) => m.group === g);
      const green = rows.every((r) => judged(r).green_required);
      return `| ${g} | ${green ? 'yes' : 'no'} | ${stat(rows, (o) => o.metrics.ks_mean)} | ${stat(rows, (o) => o.metrics.tvd_mean)} | ${stat(rows, (o) => o.metrics.corr_delta)} | ${stat(rows, (o) => o.pairwise_tvd)} | ${stat(rows, (o) => o.metrics.ml_efficacy)} | ${rows.map((r) => r.median_wall_s).join(', ')} |`;
    }),
    '',
  ];
}

const judged = (row: Row): Judged => row.output as unknown as Judged;

interface Judged {
  readonly green_required: boolean;
  readonly metrics: Record<string, number | null>;
  readonly pairwise_tvd: number;
}
