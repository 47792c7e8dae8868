/**
 * Issue 29's "both cores": a fixed-size search (a --grid of 4 points) run three ways on the same
 * cores: one attempt at a time on one training thread, two attempts side by side (each on one
 * thread: --parallel-attempts 2), and one attempt at a time on two threads. Two shipped tables,
 * three seeds, interleaved (seed by seed, way by way) so that a busy machine slows all three
 * alike. Per run: the wall time to finish the search (the process, start to exit), the best
 * quality any attempt reached, and the machine's load average before and after. The faster way
 * is --parallel-attempts's default. GESALP_BENCH_SEEDS overrides the seeds; GESALP_BENCH_CLI
 * runs another build of the command (a copy, so that rebuilding this tree during the run
 * changes nothing).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARALLEL_ATTEMPTS } from '../src/pipeline/attempt-plan.js';
import { datasetPath } from './datasets.js';

const CLI = process.env.GESALP_BENCH_CLI ?? fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

interface Scenario {
  readonly table: string;
  readonly method: string;
  /** Four points: short and twice as long training, at two learning rates (batches of two unequal attempts). */
  readonly grid: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  { table: 'vega_penguins.csv', method: 'ddpm', grid: ['n_iter=50,100', 'lr=0.001,0.004'] },
  { table: 'german_credit.csv', method: 'ddpm', grid: ['n_iter=50,100', 'lr=0.001,0.004'] },
];

const WAYS = {
  'sequential, 1 thread': ['--parallel-attempts', '1', '--threads', '1'],
  '2 attempts side by side, 1 thread each': ['--parallel-attempts', '2', '--threads', '1'],
  'sequential, 2 threads': ['--parallel-attempts', '1', '--threads', '2'],
} as const;
type Way = keyof typeof WAYS;

interface Run {
  readonly table: string;
  readonly method: string;
  readonly way: Way;
  readonly seed: number;
  readonly wall_seconds: number;
  readonly attempts: number;
  readonly best_quality: number | null;
  readonly kept_quality: number | null;
  readonly all_green: boolean | null;
  readonly load_before: number;
  readonly load_after: number;
  /** The kept rows' hash: the two one-thread ways train the same grid points, so they should match. */
  readonly output_sha256: string;
}

export async function benchParallelAttempts(): Promise<void> {
  const seeds = (process.env.GESALP_BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-parallel-'));
  const runs: Run[] = [];
  const started = performance.now();
  try {
    for (const seed of seeds)
      for (const scenario of SCENARIOS)
        for (const way of Object.keys(WAYS) as Way[]) {
          const run = oneRun(dir, scenario, way, seed);
          runs.push(run);
          process.stdout.write(`${JSON.stringify(run)}\n`);
        }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const json = {
    seeds,
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores`,
    created_at: new Date().toISOString(),
    total_minutes: round((performance.now() - started) / 60000),
    load: loadSummary(runs),
    summary: summarise(runs),
    runs,
  };
  writeFileSync(join(RESULTS, 'parallel-attempts.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'parallel-attempts.md'), markdown(json));
  process.stdout.write(markdown(json));
}

function oneRun(dir: string, s: Scenario, way: Way, seed: number): Run {
  const out = join(dir, `${s.table}-${way.replace(/\W+/g, '-')}-${seed}.csv`);
  const args = [
    'generate',
    datasetPath(s.table),
    '--method',
    s.method,
    ...s.grid.flatMap((g) => ['--grid', g]),
    ...WAYS[way],
    '--seed',
    String(seed),
    '-o',
    out,
    '-q',
  ];
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const child = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - t0) / 1000;
  if (child.status !== 0 && child.status !== 4) throw new Error(`gesalp exited ${child.status}: ${child.stderr}`);
  const report = JSON.parse(readFileSync(out.replace(/\.csv$/, '.report.json'), 'utf8')) as {
    all_green: boolean | null;
    quality: { score: number } | null;
    output: { sha256: string };
    attempts: { quality: number | null }[];
  };
  const qualities = report.attempts.map((a) => a.quality).filter((q): q is number => q !== null);
  return {
    table: s.table,
    method: s.method,
    way,
    seed,
    wall_seconds: round(wall),
    attempts: report.attempts.length,
    best_quality: qualities.length ? Math.max(...qualities) : null,
    kept_quality: report.quality?.score ?? null,
    all_green: report.all_green,
    load_before: round(loadBefore),
    load_after: round(loadavg()[0]),
    output_sha256: report.output.sha256,
  };
}

interface WaySummary {
  readonly runs: number;
  readonly median_wall_s: number;
  /** Median over runs of this way's wall time over the sequential one-thread run of the same table and seed. */
  readonly median_wall_ratio: number;
  readonly median_best_quality: number | null;
  readonly per_table: Record<string, { median_wall_s: number; median_best_quality: number | null }>;
}

export function summarise(runs: readonly Run[]): Record<Way, WaySummary> & { fastest: Way; verdict: string } {
  const base = (r: Run) =>
    runs.find((x) => x.way === 'sequential, 1 thread' && x.table === r.table && x.seed === r.seed)!;
  const of = (way: Way): WaySummary => {
    const mine = runs.filter((r) => r.way === way);
    const q = (xs: readonly Run[]) => {
      const qs = xs.map((r) => r.best_quality).filter((x): x is number => x !== null);
      return qs.length ? round(median(qs), 2) : null;
    };
    return {
      runs: mine.length,
      median_wall_s: round(median(mine.map((r) => r.wall_seconds))),
      median_wall_ratio: round(median(mine.map((r) => r.wall_seconds / base(r).wall_seconds)), 2),
      median_best_quality: q(mine),
      per_table: Object.fromEntries(
        SCENARIOS.map((s) => {
          const t = mine.filter((r) => r.table === s.table);
          return [s.table, { median_wall_s: round(median(t.map((r) => r.wall_seconds))), median_best_quality: q(t) }];
        }),
      ),
    };
  };
  const ways = Object.fromEntries((Object.keys(WAYS) as Way[]).map((w) => [w, of(w)])) as Record<Way, WaySummary>;
  const fastest = (Object.keys(WAYS) as Way[]).reduce((a, b) =>
    ways[b].median_wall_ratio < ways[a].median_wall_ratio ? b : a,
  );
  const same = runs
    .filter((r) => r.way === '2 attempts side by side, 1 thread each')
    .every((r) => base(r).output_sha256 === r.output_sha256);
  const wanted = fastest === '2 attempts side by side, 1 thread each' ? 2 : 1;
  const verdict = `fastest: ${fastest} (median ${ways[fastest].median_wall_ratio} times the sequential one-thread wall time), so the default of --parallel-attempts should be ${wanted}; it is ${DEFAULT_PARALLEL_ATTEMPTS} (DEFAULT_PARALLEL_ATTEMPTS, src/pipeline/attempt-plan.ts). Two attempts side by side ${same ? 'wrote the same rows as' : 'did NOT write the same rows as'} one at a time on one thread, for every table and seed.`;
  return { ...ways, fastest, verdict };
}

function loadSummary(runs: readonly Run[]): { min: number; median: number; max: number } {
  const loads = runs.flatMap((r) => [r.load_before, r.load_after]);
  return { min: Math.min(...loads), median: round(median(loads)), max: Math.max(...loads) };
}

/** The results page from the JSON (exported so that a page can be written again from a run's JSON). */
export function markdown(json: {
  seeds: number[];
  machine: string;
  created_at: string;
  total_minutes: number;
  load: ReturnType<typeof loadSummary>;
  summary: ReturnType<typeof summarise>;
  runs: Run[];
}): string {
  const s = json.summary;
  const tables = SCENARIOS.map((x) => x.table);
  return [
    '# Both cores: attempts side by side, or threads within an attempt',
    '',
    `\`npm run bench parallel-attempts\`: ${SCENARIOS.map((x) => `${x.method} on ${x.table} with ${x.grid.map((g) => `--grid ${g}`).join(' ')}`).join('; ')}; seeds ${json.seeds.join(', ')}; ${json.machine}; ${json.created_at}; ${json.total_minutes} min in all.`,
    '',
    `Machine load (1-minute load average, sampled before and after each run; the cores were shared with other work): min ${json.load.min}, median ${json.load.median}, max ${json.load.max}. Wall times are noisy at that load; the ratio column compares each run with the sequential one-thread run of the same table and seed, taken minutes apart.`,
    '',
    `| way | runs | median wall s | median wall vs sequential 1 thread | median best quality | ${tables.map((t) => `${t} median wall s / best quality`).join(' | ')} |`,
    `|---|---|---|---|---|${tables.map(() => '---|').join('')}`,
    ...(Object.keys(WAYS) as Way[]).map((w) => {
      const x = s[w];
      return `| ${w} | ${x.runs} | ${x.median_wall_s} | ${x.median_wall_ratio} | ${x.median_best_quality ?? '-'} | ${tables.map((t) => `${x.per_table[t].median_wall_s} / ${x.per_table[t].median_best_quality ?? '-'}`).join(' | ')} |`;
    }),
    '',
    s.verdict,
    '',
    '| table | way | seed | attempts | wall s | best quality | kept quality | all green | load before | load after |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...json.runs.map(
      (r) =>
        `| ${r.table} | ${r.way} | ${r.seed} | ${r.attempts} | ${r.wall_seconds} | ${r.best_quality ?? '-'} | ${r.kept_quality ?? '-'} | ${r.all_green} | ${r.load_before} | ${r.load_after} |`,
    ),
    '',
  ].join('\n');
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
