/**
 * ML efficacy, detection AUC and the three attack risks of `gesalp evaluate --target` on shared
 * datasets, for three kinds of "synthetic" rows: TabDDPM's output, the naive baseline that
 * resamples every column on its own (the kind of fixtures/penguins/baseline-synthetic.csv), and
 * real rows never trained on (the floor: half of the holdout, the other half staying holdout).
 * Writes bench/results/metrics.{json,md}.
 *
 * TabDDPM's rows come from `gesalp generate DATA --method ddpm --seed 0` with the defaults (about
 * 1.5 minutes for adult on the 2-core bench machine; GESALP_BENCH_DDPM_N_ITER sets --n-iter for
 * a quicker look); GESALP_BENCH_DDPM_DIR names a folder holding earlier outputs
 * (<dataset>.csv and <dataset>.report.json) to reuse. The train/holdout split is rebuilt from
 * the generate report's split record, so all three kinds are scored on the same rows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, permutation } from '../src/core/rng.js';
import { textRowContent } from '../src/core/row-digest.js';
import { holdoutFlags } from '../src/core/split.js';
import { datasetPath, readLines, writeLines } from './datasets.js';
import { measure, REPEATS } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const N_ITER = process.env.GESALP_BENCH_DDPM_N_ITER;

const DATASETS = [
  { name: 'adult', target: 'income' },
  { name: 'german_credit', target: 'default' },
  { name: 'california_housing', target: 'median_house_value' },
] as const;

interface Row {
  dataset: string;
  synthetic: string;
  target: string;
  score: string;
  real_score: number | null;
  synthetic_score: number | null;
  ml_efficacy: number | null;
  detection_auc: number | null;
  top_detector_columns: string[];
  risks: Record<string, { value: number | null; ci: [number, number] | null }>;
  median_wall_s: number;
  wall_s: number[];
}

export async function benchMetrics(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-metrics-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const dataset of DATASETS) {
      const ddpm = tabddpmOutput(dataset.name, dir);
      notes.push(`${dataset.name}: TabDDPM n_iter ${ddpm.nIter}, seed 0`);
      const inputs = await prepare(dataset.name, ddpm.report, dir);
      const kinds: [string, string, string][] = [
        ['TabDDPM', ddpm.csv, inputs.holdout],
        ['column resampling', inputs.baseline, inputs.holdout],
        ['real holdout (floor)', inputs.floorSynthetic, inputs.floorHoldout],
      ];
      for (const [kind, synthetic, holdout] of kinds) {
        const timed = dataset.name === 'adult' && kind === 'TabDDPM';
        const measured = measure(
          {
            name: `${dataset.name}: ${kind}`,
            args: [
              'evaluate',
              inputs.train,
              synthetic,
              '--holdout',
              holdout,
              '--target',
              dataset.target,
              '--seed',
              '0',
            ],
            repeats: timed ? REPEATS : 1,
            ...(timed ? { target: { seconds: 15 } } : {}),
          },
          (stdout) => JSON.parse(stdout) as Record<string, unknown>,
        );
        rows.push(summarize(dataset.name, kind, dataset.target, measured.output, measured.wall_s));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  write(rows, notes);
}

/** TabDDPM's synthetic rows for a dataset: reused from GESALP_BENCH_DDPM_DIR, else generated. */
function tabddpmOutput(name: string, dir: string): { csv: string; report: string; nIter: number } {
  const cached = process.env.GESALP_BENCH_DDPM_DIR;
  const base = cached && existsSync(join(cached, `${name}.csv`)) ? cached : dir;
  const csv = join(base, `${name}.csv`);
  if (base === dir) {
    process.stderr.write(`generating ${name} with TabDDPM (n_iter ${N_ITER ?? 'default'})...\n`);
    const args = [
      'generate',
      datasetPath(`${name}.csv`),
      '--method',
      'ddpm',
      '--seed',
      '0',
      ...(N_ITER ? ['--n-iter', N_ITER] : []),
    ];
    const child = spawnSync(process.execPath, [BIN, ...args, '-o', csv, '-q'], { encoding: 'utf8' });
    if (child.status !== 0 && child.status !== 4) throw new Error(`generate failed: ${child.stderr.slice(-2000)}`);
  }
  const report = csv.replace(/\.csv$/, '.report.json');
  const parameters = (JSON.parse(readFileSync(report, 'utf8')) as { parameters: { name: string; value: number }[] })
    .parameters;
  return { csv, report, nIter: parameters.find((p) => p.name === 'n_iter')?.value ?? NaN };
}

/** Train and holdout rebuilt from the report's split; the baseline and the floor from them. */
async function prepare(name: string, report: string, dir: string) {
  const { header, rows } = await readLines(datasetPath(`${name}.csv`));
  if (rows.some((r) => r.includes('"'))) throw new Error(`${name}: quoted fields are not supported by this bench`);
  const split = (JSON.parse(readFileSync(report, 'utf8')) as { split: { seed: number; fraction: number } }).split;
  const held = holdoutFlags(
    rows.map((r) => textRowContent(r.split(','))),
    split,
  );
  const train = rows.flatMap((_, i) => (held[i] ? [] : [i]));
  const holdout = rows.flatMap((_, i) => (held[i] ? [i] : []));
  const path = (kind: string) => join(dir, `${name}.${kind}.csv`);
  const trainRows = Array.from(train, (i) => rows[i]);
  const holdoutRows = Array.from(holdout, (i) => rows[i]);
  await writeLines(path('train'), header, trainRows);
  await writeLines(path('holdout'), header, holdoutRows);
  // Each column drawn from its own random training row: every marginal kept, every relation lost.
  const rng = createRng(7);
  const cells = trainRows.map((r) => r.split(','));
  const baseline = cells.map(() => cells[0].map((_, c) => cells[rng.int(cells.length)][c]).join(','));
  await writeLines(path('baseline'), header, baseline);
  const order = permutation(holdoutRows.length, rng);
  const half = holdoutRows.length >> 1;
  await writeLines(
    path('floor-synthetic'),
    header,
    Array.from(order.subarray(0, half), (i) => holdoutRows[i]),
  );
  await writeLines(
    path('floor-holdout'),
    header,
    Array.from(order.subarray(half), (i) => holdoutRows[i]),
  );
  return {
    train: path('train'),
    holdout: path('holdout'),
    baseline: path('baseline'),
    floorSynthetic: path('floor-synthetic'),
    floorHoldout: path('floor-holdout'),
  };
}

interface Report {
  metrics: Record<string, { value: number | null }>;
  ml_efficacy: { score: string; real: Record<string, number>; synthetic: Record<string, number> } | null;
  detection: { importances: Record<string, number> } | null;
  privacy_attacks: Record<string, { risk_ci: [number, number] } | null>;
}

function summarize(dataset: string, kind: string, target: string, output: unknown, wall: number[]): Row {
  const report = output as Report;
  const score = report.ml_efficacy?.score ?? '';
  const risk = (metric: string, attack: string) => ({
    value: report.metrics[metric]?.value ?? null,
    ci: report.privacy_attacks[attack]?.risk_ci ?? null,
  });
  const sorted = [...wall].sort((a, b) => a - b);
  return {
    dataset,
    synthetic: kind,
    target,
    score,
    real_score: report.ml_efficacy?.real[score] ?? null,
    synthetic_score: report.ml_efficacy?.synthetic[score] ?? null,
    ml_efficacy: report.metrics.ml_efficacy?.value ?? null,
    detection_auc: report.metrics.detection_auc?.value ?? null,
    top_detector_columns: Object.keys(report.detection?.importances ?? {}).slice(0, 3),
    risks: {
      singling_out: risk('singling_out_risk', 'singling_out'),
      linkability: risk('linkability_risk', 'linkability'),
      inference: risk('inference_risk', 'inference'),
    },
    median_wall_s: sorted[sorted.length >> 1],
    wall_s: wall,
  };
}

function write(rows: Row[], notes: string[]): void {
  // The bench machine is shared: the load average at the end says how much of it the runs had.
  const machine = {
    cpus: cpus()[0]?.model,
    threads: availableParallelism(),
    node: process.version,
    load_average_1min: Math.round(loadavg()[0] * 100) / 100,
  };
  const date = new Date().toISOString();
  writeFileSync(
    join(RESULTS, 'metrics.json'),
    `${JSON.stringify({ benchmark: 'metrics', date, machine, notes, results: rows }, null, 2)}\n`,
  );
  const f = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits));
  const r = (x: Row['risks'][string]) =>
    x.ci ? `${f(x.value, 2)} [${f(x.ci[0], 2)}, ${f(x.ci[1], 2)}]` : f(x.value, 2);
  const lines = rows.map(
    (row) =>
      `| ${row.dataset} | ${row.synthetic} | ${row.score} ${f(row.real_score)} -> ${f(row.synthetic_score)} | ${f(row.ml_efficacy)} | ${f(row.detection_auc)} | ${row.top_detector_columns.join(', ')} | ${r(row.risks.singling_out)} | ${r(row.risks.linkability)} | ${r(row.risks.inference)} | ${row.median_wall_s.toFixed(2)} |`,
  );
  const table = [
    "| dataset | synthetic rows | ML efficacy: real -> synthetic | ratio | detection AUC | detector's top columns | singling out risk [95 %] | linkability risk [95 %] | inference risk [95 %] | evaluate wall s |",
    '|---|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
  writeFileSync(
    join(RESULTS, 'metrics.md'),
    `# gesalp evaluate --target: ML efficacy, detection and attack risks\n\n${date}, ${machine.cpus}, ${machine.threads} threads, Node ${machine.node}, load average ${machine.load_average_1min} at the end (\`npm run bench metrics\`). ${notes.join('; ')}. Scored on the real holdout of the generate report's split; the floor uses half of that holdout as "synthetic" rows and the other half as holdout. Singling out's control is rescaled from the holdout's size to the training rows' (Anonymeter's fitted correction), which overstates the risk by up to about 0.1 when the holdout is a quarter of the training rows: see the floor rows. The adult TabDDPM row's wall time is the median of ${REPEATS} runs (target: under 15 s); the others ran once.\n\n${table}\n`,
  );
  process.stdout.write(`${table}\n\n`);
}
