/**
 * npm run bench: wall time and peak memory of `gesalp evaluate` on real datasets, medians of
 * repeated runs, variants compared in the same run. Writes bench/results/evaluate.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/core/metrics/stats.js';
import { datasetPath, shuffled, splitAndResample } from './datasets.js';

const CHILD = fileURLToPath(new URL('./measure-child.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Case {
  readonly name: string;
  readonly args: string[];
  readonly target?: { seconds: number; mb?: number };
}

interface Measured extends Case {
  readonly wall_s: number[];
  readonly max_rss_mb: number[];
  readonly median_wall_s: number;
  readonly median_rss_mb: number;
  readonly metrics: Record<string, number | null>;
}

function runOnce(args: string[]): { wall: number; rss: number; metrics: Record<string, number | null> } {
  const start = performance.now();
  const child = spawnSync(process.execPath, [CHILD, ...args, '--json', '-q'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - start) / 1000;
  const line = child.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`benchmark child failed (${child.status}): ${child.stderr.slice(-2000)}`);
  const { max_rss_mb } = JSON.parse(line.slice(6)) as { max_rss_mb: number };
  const report = JSON.parse(child.stdout) as { metrics: Record<string, { value: number | null }> };
  const metrics = Object.fromEntries(Object.entries(report.metrics).map(([k, v]) => [k, v.value]));
  return { wall, rss: max_rss_mb, metrics };
}

function measure(c: Case): Measured {
  const wall: number[] = [];
  const rss: number[] = [];
  let metrics: Record<string, number | null> = {};
  for (let k = 0; k < REPEATS; k++) {
    const r = runOnce(c.args);
    wall.push(Math.round(r.wall * 100) / 100);
    rss.push(r.rss);
    metrics = r.metrics;
    process.stderr.write(`  ${c.name} run ${k + 1}: ${r.wall.toFixed(2)} s, ${r.rss} MB\n`);
  }
  return { ...c, wall_s: wall, max_rss_mb: rss, median_wall_s: median(wall), median_rss_mb: median(rss), metrics };
}

const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
try {
  process.stderr.write('preparing inputs...\n');
  const adult = await splitAndResample(datasetPath('adult.csv'), dir, 1);
  const flights = datasetPath('vega_flights-3m.csv');
  const flightsShuffled = await shuffled(flights, join(dir, 'flights-3m-shuffled.csv'), 2);
  const adultArgs = ['evaluate', adult.train, adult.synthetic, '--holdout', adult.holdout];
  const cases: Case[] = [
    { name: 'adult: train 26,049 vs resample, holdout 6,512 (2 threads)', args: [...adultArgs, '--threads', '2'], target: { seconds: 5 } },
    { name: 'adult: same, 1 thread', args: [...adultArgs, '--threads', '1'] },
    { name: 'flights-3m vs itself shuffled', args: ['evaluate', flights, flightsShuffled], target: { seconds: 60, mb: 4096 } },
  ];
  const results = cases.map((c) => {
    process.stderr.write(`${c.name}\n`);
    return measure(c);
  });
  const machine = { cpus: cpus()[0]?.model, threads: availableParallelism(), memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version };
  const document = { benchmark: 'evaluate', date: new Date().toISOString(), repeats: REPEATS, machine, results };
  writeFileSync(join(RESULTS, 'evaluate.json'), `${JSON.stringify(document, null, 2)}\n`);
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.median_wall_s.toFixed(2)} | ${r.median_rss_mb} | ${r.target ? `< ${r.target.seconds} s${r.target.mb ? `, < ${r.target.mb} MB` : ''}` : ''} | ${r.wall_s.join(', ')} |`,
  );
  const table = ['| case | median wall s | median peak RSS MB | target | runs (s) |', '|---|---|---|---|---|', ...rows].join('\n');
  writeFileSync(
    join(RESULTS, 'evaluate.md'),
    `# gesalp evaluate benchmark\n\n${document.date}, ${machine.cpus}, ${machine.threads} threads, ${machine.memory_gb} GB, Node ${machine.node}; medians of ${REPEATS} runs (\`npm run bench\`).\n\n${table}\n`,
  );
  process.stdout.write(`${table}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
