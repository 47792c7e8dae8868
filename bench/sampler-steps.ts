/**
 * TabDDPM's strided sampler against the full schedule (issue 30, SPEC section 10): one model per
 * table trained once (`generate --method ddpm --seed 0 --n-iter N --save-model DIR`), then sampled
 * with `generate --load-model` from copies of that folder whose model.json asks for sample_steps K
 * and sample_eta E, for K = full (num_timesteps), 50, 25, 10 and E = 1, 0, each with several
 * sampling seeds (the noise the comparison is judged against). Reports sampling seconds,
 * ks_mean, tvd_mean, corr_delta, detection_auc and the quality score. Writes
 * bench/results/sampler-steps.{json,md}. BENCH_DATASETS narrows the tables; BENCH_SAMPLER_SEEDS
 * (default 3) sets the seeds per setting; BENCH_SAMPLER_RENDER=1 only rewrites the .md from the .json.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/models/registry.js';
import type { GenerationReport } from '../src/pipeline/report.js';
import { datasetPath } from './datasets.js';
import { measure } from './measure.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

/** Epochs per table: adult and california_housing are cut from their 700 and 600 default epochs to keep the run short. */
const TABLES: { name: string; nIter: number }[] = [
  { name: 'adult', nIter: 100 },
  { name: 'california_housing', nIter: 100 },
  { name: 'german_credit', nIter: 500 },
];
const STEPS = [50, 25, 10] as const;
const ETAS = [1, 0] as const;
const SEEDS = Number(process.env.BENCH_SAMPLER_SEEDS ?? 3);
const METRICS = ['ks_mean', 'tvd_mean', 'corr_delta', 'detection_auc', 'quality'] as const;
type Metric = (typeof METRICS)[number];

interface Run {
  readonly seed: number;
  readonly sample_s: number;
  readonly wall_s: number;
  readonly values: Record<Metric, number>;
}

interface Setting {
  readonly table: string;
  readonly sample_steps: number | 'full';
  readonly sample_eta: number | null;
  readonly runs: Run[];
  readonly mean: Record<Metric | 'sample_s', number>;
  readonly sd: Record<Metric, number>;
}

const round = (v: number, digits = 4): number => Number(v.toFixed(digits));
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]): number =>
  v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));

function summarize(stdout: string): Record<string, unknown> {
  const r = JSON.parse(stdout) as GenerationReport;
  const metric = (name: 'ks_mean' | 'tvd_mean' | 'corr_delta' | 'detection_auc'): number =>
    r.evaluation?.metrics[name]?.value ?? NaN;
  return {
    sample_s: r.timings_s.sample,
    values: {
      ks_mean: metric('ks_mean'),
      tvd_mean: metric('tvd_mean'),
      corr_delta: metric('corr_delta'),
      detection_auc: metric('detection_auc'),
      quality: r.quality?.score ?? NaN,
    },
    num_timesteps: r.parameters.find((p) => p.name === 'num_timesteps')?.value,
    rows: r.output.rows,
  };
}

/** A copy of the saved model that samples with `steps` and `eta`. */
let copies = 0;
function modelWith(source: string, dir: string, steps: number, eta: number): string {
  const target = join(dir, `model-${steps}-${eta}-${copies++}`);
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  const file = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8')) as { params: Record<string, number> };
  file.params.sample_steps = steps;
  file.params.sample_eta = eta;
  writeFileSync(join(target, 'model.json'), `${JSON.stringify(file)}\n`);
  return target;
}

function setting(
  table: string,
  path: string,
  model: string,
  dir: string,
  label: { steps: number | 'full'; eta: number | null },
): Setting {
  const runs: Run[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const m = measure(
      {
        name: `${table}: --load-model (sample_steps ${label.steps}, eta ${label.eta ?? '-'}) --seed ${seed}`,
        args: ['generate', path, '--load-model', model, '--seed', String(seed), '-o', join(dir, 'out.csv')],
        repeats: 1,
        okExits: [0, 4],
      },
      summarize,
    );
    const out = m.output as { sample_s: number; values: Record<Metric, number> };
    runs.push({ seed, sample_s: out.sample_s, wall_s: m.median_wall_s, values: out.values });
  }
  const of = (k: Metric) => runs.map((r) => r.values[k]);
  return {
    table,
    sample_steps: label.steps,
    sample_eta: label.eta,
    runs,
    mean: {
      ...(Object.fromEntries(METRICS.map((k) => [k, round(mean(of(k)))])) as Record<Metric, number>),
      sample_s: round(mean(runs.map((r) => r.sample_s)), 2),
    },
    sd: Object.fromEntries(METRICS.map((k) => [k, round(sd(of(k)))])) as Record<Metric, number>,
  };
}

/**
 * Sampling seconds measured in this process, the settings interleaved round by round so that they
 * share the machine's load, the fastest of ROUNDS rounds each: the comparison the report's
 * sample time (one run per seed, on shared cores) is too noisy for.
 */
const ROUNDS = 3;
async function timeSampling(models: Map<string, string>, rows: number): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++)
    for (const [label, dir] of models) {
      const model = await loadModel(dir);
      const started = performance.now();
      await model.sample(rows, { seed: round });
      const seconds = (performance.now() - started) / 1000;
      model.dispose();
      best[label] = Math.min(best[label] ?? Infinity, round2(seconds));
    }
  return best;
}
const round2 = (v: number): number => Number(v.toFixed(2));

/** Within noise: the mean differs from the full schedule's by at most twice the larger of the two seed-to-seed sds. */
function withinNoise(s: Setting, full: Setting): Record<Metric, boolean> {
  return Object.fromEntries(
    METRICS.map((k) => [k, Math.abs(s.mean[k] - full.mean[k]) <= 2 * Math.max(s.sd[k], full.sd[k]) + 1e-9]),
  ) as Record<Metric, boolean>;
}

function verdict(settings: Results['settings']): string {
  const chosen = cheapestWithinCost(settings);
  const strict = safestStrided(settings);
  const within = strict
    ? `Within noise of the full schedule on every table and metric: sample_steps ${strict.steps}, sample_eta ${strict.eta}.`
    : `No strided setting stays within noise of the full schedule on every table and metric.`;
  return chosen
    ? `${within} SPEC section 10 asks for fewer denoising steps than training's: the default is the fewest whose mean quality score stays within ${QUALITY_COST} of the full schedule's on every table, sample_steps ${chosen.steps}, sample_eta ${chosen.eta}.`
    : `${within} None keeps the quality score within ${QUALITY_COST} of the full schedule's on every table either.`;
}

/** The quality points a default sampler may cost against the full schedule, for its speed-up. */
const QUALITY_COST = 0.25;

/** The smallest sample_steps (at the sample_eta that allows it) whose mean quality is within QUALITY_COST of the full schedule's on every table. */
export function cheapestWithinCost(settings: Results['settings']): { steps: number; eta: number } | null {
  const full = new Map(settings.filter((s) => s.sample_steps === 'full').map((s) => [s.table, s.mean.quality]));
  const ok = (k: number, eta: number) => {
    const of = settings.filter((s) => s.sample_steps === k && s.sample_eta === eta);
    return of.length > 0 && of.every((s) => s.mean.quality >= (full.get(s.table) ?? Infinity) - QUALITY_COST);
  };
  for (const k of [...STEPS].sort((a, b) => a - b)) for (const eta of ETAS) if (ok(k, eta)) return { steps: k, eta };
  return null;
}

export async function benchSamplerSteps(): Promise<void> {
  if (process.env.BENCH_SAMPLER_RENDER) {
    render(JSON.parse(readFileSync(join(RESULTS, 'sampler-steps.json'), 'utf8')) as Results);
    return;
  }
  const only = process.env.BENCH_DATASETS?.split(',');
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-bench-'));
  const settings: (Setting & { within_noise?: Record<Metric, boolean> })[] = [];
  const training: Record<string, { n_iter: number; train_wall_s: number; num_timesteps: number }> = {};
  const timing: Record<string, { rows: number; seconds: Record<string, number> }> = {};
  try {
    for (const { name, nIter } of TABLES.filter((t) => !only || only.includes(t.name))) {
      const path = datasetPath(`${name}.csv`);
      const saved = join(dir, `${name}-model`);
      const trained = measure(
        {
          name: `${name}: generate --method ddpm --seed 0 --n-iter ${nIter} --save-model (trains once)`,
          args: ['generate', path, '--method', 'ddpm', '--seed', '0', '--n-iter', String(nIter)].concat([
            '--save-model',
            saved,
            '-o',
            join(dir, 'train-out.csv'),
          ]),
          repeats: 1,
          okExits: [0, 4],
        },
        summarize,
      );
      const { num_timesteps: steps, rows } = trained.output as { num_timesteps: number; rows: number };
      training[name] = { n_iter: nIter, train_wall_s: trained.median_wall_s, num_timesteps: steps };
      const full = setting(name, path, modelWith(saved, dir, steps, 1), dir, { steps: 'full', eta: null });
      settings.push(full);
      const timed = new Map([['full', modelWith(saved, dir, steps, 1)]]);
      for (const k of STEPS) timed.set(String(k), modelWith(saved, dir, k, 1));
      process.stderr.write(`${name}: sampling ${rows} rows in this process, ${ROUNDS} interleaved rounds\n`);
      timing[name] = { rows, seconds: await timeSampling(timed, rows) };
      for (const eta of ETAS)
        for (const k of STEPS) {
          const s = setting(name, path, modelWith(saved, dir, k, eta), dir, { steps: k, eta });
          settings.push({ ...s, within_noise: withinNoise(s, full) });
        }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  write(settings, training, timing);
}

type Results = {
  readonly date: string;
  readonly seeds: number;
  readonly machine: { cpus?: string; threads: number; memory_gb: number; node: string };
  readonly training: Record<string, { n_iter: number; train_wall_s: number; num_timesteps: number }>;
  readonly timing: Record<string, { rows: number; seconds: Record<string, number> }>;
  readonly settings: (Setting & { within_noise?: Record<Metric, boolean> })[];
};

function write(settings: Results['settings'], training: Results['training'], timing: Results['timing']): void {
  const machine = {
    cpus: cpus()[0]?.model,
    threads: availableParallelism(),
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const date = new Date().toISOString();
  writeFileSync(
    join(RESULTS, 'sampler-steps.json'),
    `${JSON.stringify({ benchmark: 'sampler-steps', date, seeds: SEEDS, machine, training, timing, settings }, null, 2)}\n`,
  );
  render({ date, seeds: SEEDS, machine, training, timing, settings });
}

/**
 * The smallest sample_steps whose every metric stays within noise of the full schedule on every
 * table, at the sample_eta that does best; null when none does.
 */
export function safestStrided(settings: Results['settings']): { steps: number; eta: number } | null {
  const safe = (k: number, eta: number) =>
    settings
      .filter((s) => s.sample_steps === k && s.sample_eta === eta)
      .every((s) => s.within_noise && METRICS.every((m) => s.within_noise![m]));
  for (const k of [...STEPS].sort((a, b) => a - b))
    for (const eta of ETAS) if (settings.some((s) => s.sample_steps === k) && safe(k, eta)) return { steps: k, eta };
  return null;
}

/** Writes sampler-steps.md from the results (BENCH_SAMPLER_RENDER=1 re-renders it from the committed JSON). */
export function render({ date, seeds, machine, training, timing, settings }: Results): void {
  const cell = (s: (typeof settings)[number], k: Metric): string =>
    `${s.mean[k].toFixed(k === 'quality' ? 2 : 4)} ± ${s.sd[k].toFixed(k === 'quality' ? 2 : 4)}${s.within_noise && !s.within_noise[k] ? ' ✗' : ''}`;
  const rows = settings.map(
    (s) =>
      `| ${s.table} | ${s.sample_steps} | ${s.sample_eta ?? '-'} | ${s.mean.sample_s.toFixed(2)} | ${METRICS.map((k) => cell(s, k)).join(' | ')} |`,
  );
  const trainedWith = Object.entries(training)
    .map(
      ([name, t]) => `${name} ${t.n_iter} epochs (${t.num_timesteps} diffusion steps, trained in ${t.train_wall_s} s)`,
    )
    .join('; ');
  const table = [
    '| table | sample_steps | sample_eta | report sample s | ks_mean | tvd_mean | corr_delta | detection_auc | quality |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const labels = ['full', ...STEPS.map(String)];
  const timingTable = [
    `| table | rows | ${labels.map((l) => `${l} s`).join(' | ')} | ${STEPS.map((k) => `speed-up ${k}`).join(' | ')} |`,
    `|---|---|${labels.map(() => '---|').join('')}${STEPS.map(() => '---|').join('')}`,
    ...Object.entries(timing).map(
      ([name, t]) =>
        `| ${name} | ${t.rows} | ${labels.map((l) => t.seconds[l].toFixed(2)).join(' | ')} | ${STEPS.map((k) => (t.seconds.full / t.seconds[String(k)]).toFixed(1)).join(' | ')} |`,
    ),
  ].join('\n');
  writeFileSync(
    join(RESULTS, 'sampler-steps.md'),
    `# TabDDPM: strided sampler against the full schedule benchmark\n\n${date}, ${machine.cpus}, ${machine.threads} threads, ${machine.memory_gb} GB, Node ${machine.node} (\`npm run bench sampler-steps\`).\n\n` +
      `One model per table, trained once (\`generate --method ddpm --seed 0 --n-iter N --save-model\`: ${trainedWith}), sampled as many rows as the table has by \`generate --load-model\` with sample_steps and sample_eta set in the saved model.json, for sampling seeds 0..${seeds - 1}.\n\n` +
      `## Sampling time\n\nIn-process \`sample(rows)\` of the loaded model (sample_eta 1), the settings interleaved, fastest of ${ROUNDS} rounds each (the 2 cores are shared with other work).\n\n${timingTable}\n\n` +
      `## Verdict\n\n${verdict(settings)}\n\n` +
      `## Quality\n\nEach cell is the mean ± sd over the seeds; ✗ marks a mean further than twice the larger seed-to-seed sd from the full schedule's. report sample s is the report's sampling time (mean over seeds, rough on shared cores).\n\n${table}\n`,
  );
  process.stdout.write(`TabDDPM sampler steps\n${timingTable}\n\n${table}\n\n`);
}
