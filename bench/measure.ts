/** Runs benchmark cases as child processes (peak RSS from the child itself), repeats them and writes medians. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/metrics/stats.js';

const CHILD = fileURLToPath(new URL('./measure-child.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

export interface Case {
  readonly name: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
  readonly target?: { seconds?: number; mb?: number };
  /** Runs of this case (default BENCH_REPEATS). */
  readonly repeats?: number;
  /** Exit codes that still count as a measurement (generate exits 4 when a check fails). */
  readonly okExits?: number[];
  /** The child script to run instead of the gesalp CLI (it prints the same BENCH line). */
  readonly script?: string;
}

export interface Measured extends Case {
  readonly wall_s: number[];
  readonly max_rss_mb: number[];
  readonly median_wall_s: number;
  readonly median_rss_mb: number;
  readonly output: Record<string, unknown>;
}

export function measure(c: Case, summarize: (stdout: string) => Record<string, unknown>): Measured {
  const wall: number[] = [];
  const rss: number[] = [];
  let output: Record<string, unknown> = {};
  process.stderr.write(`${c.name}\n`);
  for (let k = 0; k < (c.repeats ?? REPEATS); k++) {
    const start = performance.now();
    const child = spawnSync(process.execPath, [c.script ?? CHILD, ...c.args, '--json', '-q'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, ...c.env },
    });
    const seconds = (performance.now() - start) / 1000;
    const line = child.stderr.split('\n').find((l) => l.startsWith('BENCH '));
    if (!line || !(c.okExits ?? [0]).includes(child.status ?? -1))
      throw new Error(`benchmark child failed (${child.status}): ${child.stderr.slice(-2000)}`);
    wall.push(Math.round(seconds * 100) / 100);
    rss.push((JSON.parse(line.slice(6)) as { max_rss_mb: number }).max_rss_mb);
    output = summarize(child.stdout);
    process.stderr.write(`  run ${k + 1}: ${seconds.toFixed(2)} s, ${rss[rss.length - 1]} MB\n`);
  }
  return { ...c, wall_s: wall, max_rss_mb: rss, median_wall_s: median(wall), median_rss_mb: median(rss), output };
}

/** The machine a results file was measured on. */
export const machineInfo = () => ({
  cpus: cpus()[0]?.model,
  threads: availableParallelism(),
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
});

export function writeResults(name: string, title: string, results: Measured[]): void {
  const machine = machineInfo();
  const date = new Date().toISOString();
  const clean = results.map(({ env: _env, okExits: _ok, script: _script, ...r }) => r);
  writeFileSync(
    join(RESULTS, `${name}.json`),
    `${JSON.stringify({ benchmark: name, date, repeats: REPEATS, machine, results: clean }, null, 2)}\n`,
  );
  const target = (t: Case['target']) =>
    t ? [t.seconds ? `< ${t.seconds} s` : '', t.mb ? `< ${t.mb} MB` : ''].filter(Boolean).join(', ') : '';
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.median_wall_s.toFixed(2)} | ${r.median_rss_mb} | ${target(r.target)} | ${r.wall_s.join(', ')} |`,
  );
  const table = [
    '| case | median wall s | median peak RSS MB | target | runs (s) |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  writeFileSync(
    join(RESULTS, `${name}.md`),
    `# ${title} benchmark\n\n${date}, ${machine.cpus}, ${machine.threads} threads, ${machine.memory_gb} GB, Node ${machine.node}; medians of ${results.map((r) => r.repeats ?? REPEATS).join('/')} runs (\`npm run bench\`).\n\n${table}\n`,
  );
  process.stdout.write(`${title}\n${table}\n\n`);
}
