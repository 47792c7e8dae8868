/**
 * npm run bench scale (issue 30, SPEC section 10): adult repeated 1, 5 and 30 times and the 3M-row
 * flights table; TabDDPM with defaults, aim without DP and at epsilon 1, and `--n-iter 1` for peak
 * memory. Time to all green (scaleSummary), sampling time, peak RSS and the gate's metrics, in
 * bench/results/scale.{json,md} with a plot of the time to all green against rows (scale.svg). BENCH_SCALE_FACTORS (default 1,5,30), BENCH_SCALE_CASES (ddpm,aim,aim-dp,memory)
 * and BENCH_SCALE_FLIGHTS=0 choose a part of it (a full run takes about an hour on two cores): a
 * part replaces its rows in the committed results and keeps the others, each row with its own
 * date and commit; an empty BENCH_SCALE_FACTORS with BENCH_SCALE_FLIGHTS=0 renders them again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath, readLines, writeLines } from './datasets.js';
import { summarize } from './generate.js';
import { machineInfo, measure, type Measured } from './measure.js';
import { renderSvg } from '../src/presentation/html/vega-svg.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** The acceptance bars of issue 30. */
const BARS = { ddpmRatio: 3, aimSeconds: 60, aimDpSeconds: 300, memoryMb: 500 } as const;

const CASES = {
  ddpm: { label: 'ddpm (defaults)', args: ['--method', 'ddpm'] },
  aim: { label: 'aim (no DP)', args: ['--method', 'aim'] },
  // Under DP the report holds no metrics: the private report (outside the guarantee) judges the rows.
  'aim-dp': { label: 'aim (epsilon 1)', args: ['--method', 'aim', '--epsilon', '1', '--private-report'] },
  memory: { label: 'ddpm --n-iter 1', args: ['--method', 'ddpm', '--n-iter', '1'] },
} as const;
type CaseId = keyof typeof CASES;

interface ScaleRow {
  readonly table: string;
  readonly rows: number;
  readonly case: CaseId;
  readonly label: string;
  readonly wall_s: number;
  readonly time_to_green_s: number | null;
  readonly sample_s: number | null;
  readonly train_s: number | null;
  readonly peak_rss_mb: number;
  readonly all_green: boolean | null;
  readonly violations: unknown;
  readonly metrics: unknown;
  readonly steps: unknown;
  readonly load_before: number;
  readonly measured_at: string;
  readonly commit: string;
}

/** `source`'s data rows written `times` times over, in order (the copies of a row share its holdout side). */
async function repeated(source: string, times: number, target: string): Promise<number> {
  const { header, rows } = await readLines(source);
  await writeLines(
    target,
    header,
    (function* () {
      for (let k = 0; k < times; k++) yield* rows;
    })(),
  );
  return rows.length * times;
}

/**
 * Time to all green: reading the input, then every attempt up to the first all-green one (its
 * training, the evaluated chunk's sampling, its evaluation); the rest of the output's rows are
 * sampled after that, and counted in sample_s. Under DP the report holds no timings (they would
 * read the private rows), so the whole wall time stands for it.
 */
function scaleSummary(stdout: string): Record<string, unknown> {
  const report = JSON.parse(stdout) as {
    timings_s: { read?: number };
    attempts: { all_green: boolean | null; elapsed_seconds: number | null }[];
  };
  const first = report.attempts.findIndex((a) => a.all_green === true);
  const attempts = report.attempts.slice(0, first + 1).map((a) => a.elapsed_seconds);
  const known = first >= 0 && report.timings_s.read !== undefined && attempts.every((s) => s !== null);
  return {
    ...summarize(stdout),
    green_after_s: known ? round1(report.timings_s.read! + attempts.reduce((x, y) => x! + y!, 0)!) : null,
  };
}

/** The private report's verdict and metrics (the DP case), read beside the output. */
function privateVerdict(dir: string): Record<string, unknown> {
  const r = (
    JSON.parse(readFileSync(join(dir, 'out.private-report.json'), 'utf8')) as {
      evaluation: {
        all_green: boolean | null;
        violations: { metric: string }[];
        metrics: Record<string, { value: number | null }>;
      };
    }
  ).evaluation;
  return {
    all_green: r.all_green,
    violations: r.violations.map((v) => v.metric),
    metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, v.value])),
  };
}

function row(table: string, rows: number, id: CaseId, m: Measured, dir: string, load: number): ScaleRow {
  const out = { ...(m.output as Record<string, unknown>), ...(id === 'aim-dp' ? privateVerdict(dir) : {}) };
  const green = (out.all_green as boolean | null) ?? null;
  const sampled = out.sample_s as number | undefined;
  return {
    table,
    rows,
    case: id,
    label: CASES[id].label,
    wall_s: m.median_wall_s,
    time_to_green_s: green ? ((out.green_after_s as number | null) ?? m.median_wall_s) : null,
    sample_s: sampled === undefined ? null : round1(sampled + ((out.sample_chunks_s as number | null) ?? 0)),
    train_s: (out.train_s as number | undefined) ?? null,
    peak_rss_mb: m.median_rss_mb,
    all_green: green,
    violations: out.violations,
    metrics: out.metrics,
    steps: out.steps,
    load_before: load,
    measured_at: new Date().toISOString(),
    commit: COMMIT,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

const COMMIT = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

/** This run's rows in place of the committed rows of the same table and case; the others kept, in the bench's order. */
function merged(fresh: readonly ScaleRow[]): ScaleRow[] {
  const file = join(RESULTS, 'scale.json');
  const committed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results: ScaleRow[] }).results : [];
  const key = (r: ScaleRow) => `${r.table}|${r.case}`;
  const replaced = new Set(fresh.map(key));
  const caseOrder = Object.keys(CASES);
  return [...committed.filter((r) => !replaced.has(key(r))), ...fresh].sort(
    (a, b) => a.rows - b.rows || caseOrder.indexOf(a.case) - caseOrder.indexOf(b.case),
  );
}

function verdicts(results: readonly ScaleRow[]): string[] {
  const find = (table: string, id: CaseId) => results.find((r) => r.table === table && r.case === id);
  const seconds = (r: ScaleRow) => `${r.time_to_green_s?.toFixed(0) ?? '-'} s (wall ${r.wall_s.toFixed(0)} s)`;
  const lines: string[] = [];
  const one = find('adult x1', 'ddpm');
  const thirty = find('adult x30', 'ddpm');
  if (one && thirty) {
    const ratio = one.time_to_green_s && thirty.time_to_green_s ? thirty.time_to_green_s / one.time_to_green_s : null;
    lines.push(
      `ddpm defaults at x30: ${thirty.all_green ? 'all green' : 'not green'} after ${seconds(thirty)}, ` +
        `${ratio?.toFixed(2) ?? '-'} times x1's ${seconds(one)} ` +
        `(bar: green within ${BARS.ddpmRatio} times): ${ratio !== null && ratio <= BARS.ddpmRatio ? 'PASS' : 'FAIL'}`,
    );
  }
  for (const [id, bar] of [
    ['aim', BARS.aimSeconds],
    ['aim-dp', BARS.aimDpSeconds],
  ] as const) {
    const r = find('adult x30', id);
    if (r)
      lines.push(
        `${r.label} at x30: ${r.all_green ? 'all green' : 'not green'} after ${seconds(r)} (bar: green within ${bar} s): ${r.time_to_green_s !== null && r.time_to_green_s <= bar ? 'PASS' : 'FAIL'}`,
      );
  }
  // The memory bar is the issue's: a million rows of adult (904k asked; x30 is 977k). The 3M-row table must run to the end.
  for (const r of results.filter((x) => x.case === 'memory'))
    lines.push(
      r.table.startsWith('adult')
        ? `${r.label} on ${r.table}: peak ${r.peak_rss_mb} MB (bar: under ${BARS.memoryMb} MB): ${r.peak_rss_mb < BARS.memoryMb ? 'PASS' : 'FAIL'}`
        : `${r.label} on ${r.table}: ran to the end, peak ${r.peak_rss_mb} MB (bar: no running out of memory): PASS`,
    );
  for (const r of results.filter((x) => x.table.startsWith('flights') && x.case !== 'memory'))
    lines.push(
      `${r.label} on ${r.table}: ran to the end, peak ${r.peak_rss_mb} MB (bar: no running out of memory): PASS`,
    );
  return lines;
}

async function plot(results: readonly ScaleRow[]): Promise<string> {
  return renderSvg({
    title: { text: 'gesalp generate: time to all green against rows', subtitle: 'npm run bench scale' },
    width: 520,
    height: 300,
    data: {
      values: results
        // The memory case writes every row and is never green: its figure is the peak, in the table.
        .filter((r) => r.table.startsWith('adult') && r.case !== 'memory')
        .map((r) => ({ ...r, seconds: r.time_to_green_s ?? r.wall_s })),
    },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rows', type: 'quantitative', scale: { type: 'log' }, title: 'input rows (adult repeated)' },
      y: { field: 'seconds', type: 'quantitative', title: 'seconds to all green (wall where not green, or under DP)' },
      color: { field: 'label', type: 'nominal', title: null },
    },
  });
}

export async function benchScale(): Promise<void> {
  // BENCH_SCALE_FACTORS= (empty) with BENCH_SCALE_FLIGHTS=0 runs nothing: the committed results are rendered again.
  const factors = (process.env.BENCH_SCALE_FACTORS ?? '1,5,30').split(',').filter(Boolean).map(Number);
  const chosen = (process.env.BENCH_SCALE_CASES?.split(',') ?? Object.keys(CASES)) as CaseId[];
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-scale-'));
  const results: ScaleRow[] = [];
  const run = (table: string, rows: number, input: string, id: CaseId) => {
    const load = round1(loadavg()[0]);
    const m = measure(
      {
        name: `${table}: ${CASES[id].label}`,
        args: ['generate', input, ...CASES[id].args, '--seed', '0', '-o', join(dir, 'out.csv')],
        repeats: 1,
        okExits: [0, 4],
      },
      scaleSummary,
    );
    results.push(row(table, rows, id, m, dir, load));
  };
  try {
    for (const times of factors) {
      const input = join(dir, `adult-x${times}.csv`);
      const rows = await repeated(datasetPath('adult.csv'), times, input);
      for (const id of chosen) run(`adult x${times}`, rows, input, id);
    }
    if (process.env.BENCH_SCALE_FLIGHTS !== '0')
      for (const id of chosen.filter((c) => c === 'aim' || c === 'memory'))
        run('flights 3M', 3_000_000, datasetPath('vega_flights-3m.csv'), id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const machine = machineInfo();
  const date = new Date().toISOString();
  const all = merged(results);
  writeFileSync(
    join(RESULTS, 'scale.json'),
    `${JSON.stringify({ benchmark: 'scale', date, machine, results: all }, null, 2)}\n`,
  );
  // A file of its own needs the namespace that inline SVG in the HTML report does without.
  const svg = (await plot(all)).replace(/^<svg /, '<svg xmlns="http://www.w3.org/2000/svg" ');
  writeFileSync(join(RESULTS, 'scale.svg'), svg);
  const table = [
    '| table | rows | case | all green | green after s | wall s | sample s | train s | peak RSS MB | failing | load before | measured | commit |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...all.map(
      (r) =>
        `| ${r.table} | ${r.rows.toLocaleString('en-US')} | ${r.label} | ${r.all_green ?? '-'} | ${r.time_to_green_s ?? '-'} | ${r.wall_s.toFixed(1)} | ${r.sample_s ?? '-'} | ${r.train_s ?? '-'} | ${r.peak_rss_mb} | ${(r.violations as string[] | undefined)?.join(', ') || '-'} | ${r.load_before} | ${r.measured_at.slice(0, 16)} | ${r.commit} |`,
    ),
  ].join('\n');
  const md = [
    '# Scale benchmark',
    '',
    `${machine.cpus}, ${machine.threads} threads, ${machine.memory_gb} GB, Node ${machine.node} (\`npm run bench scale\`; ${results.length ? `the last part run ${date}: factors ${factors.join(', ')}${process.env.BENCH_SCALE_FLIGHTS === '0' ? '' : ' and flights'}, cases ${chosen.join(', ')}` : `rendered again ${date} from the committed rows`}). One run per case, \`--seed 0\`; each row gives the 1-minute load average before it ran (2 cores), when and at which commit. "green after" is the time to all green: reading the input and the attempts up to the first all-green one (training, sampling the evaluated first chunk of 50,000 rows, evaluating it); "sample" is the sampling of every row written, the rest of them after the verdict. Under DP the report holds no timings, so the wall time stands for both.`,
    '',
    table,
    '',
    '## Against the bars of issue 30',
    '',
    ...verdicts(all).map((l) => `- ${l}`),
    '',
    '![time to all green against rows](scale.svg)',
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'scale.md'), md);
  process.stdout.write(`${md}\n`);
}
