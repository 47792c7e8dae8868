/**
 * Training throughput of the default TabDDPM on adult, in one run: the fused engine on 1, 2 and
 * 4 threads, TensorFlow.js's wasm backend on 1, and, where python3 can import torch (Debian's
 * python3-torch), the reference MLPDiffusion on the same shapes and threads (bench/reference/).
 * Variants take turns for BENCH_REPEATS rounds (default 3) and the medians are reported, with
 * the fused engine's ratio to PyTorch at the same thread count; sampling time rides along.
 * Writes bench/results/train-throughput.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/metrics/stats.js';
import { datasetPath } from './datasets.js';
import { benchMachine, ratioToTorch, torchNote, torchPython } from './torch-reference.js';

const CHILD = fileURLToPath(new URL('./throughput-child.js', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../bench/reference/mlp_diffusion.py', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const ROUNDS = Number(process.env.BENCH_REPEATS ?? 3);
const SAMPLE_ROWS = 32561;
const TORCH_STEPS = 400;

interface Shape {
  readonly d_num: number;
  readonly spans: number[];
  readonly batch: number;
  readonly width: number;
  readonly layers: number;
  readonly timesteps: number;
}

interface Run {
  readonly steps_per_s: number;
  /** gesalp: after the first epoch; PyTorch: after its warm-up steps (the same figure). */
  readonly warm_steps_per_s?: number | null;
  readonly sample_s?: number | null;
  readonly shape?: Shape;
}

interface Variant {
  readonly engine: string;
  readonly threads: number;
  readonly run: (shape: Shape) => Run;
}

function gesalp(backend: string, threads: number, epochs: number, sampleRows: number): Variant {
  return {
    engine: backend === 'fused' ? 'gesalp fused' : `gesalp tfjs ${backend}`,
    threads,
    run: () => {
      const args = [CHILD, datasetPath('adult.csv'), backend, String(threads), String(epochs), String(sampleRows)];
      const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`throughput child failed: ${child.stderr.slice(-2000)}`);
      return JSON.parse(child.stdout);
    },
  };
}

function pytorch(python: string, loss: 'mse' | 'mixed', threads: number): Variant {
  return {
    engine: `pytorch MLPDiffusion (${loss} loss)`,
    threads,
    run: (s) => {
      const args = [
        REFERENCE,
        s.d_num,
        s.spans.join(','),
        s.batch,
        s.width,
        s.layers,
        s.timesteps,
        threads,
        TORCH_STEPS,
        loss,
      ];
      const child = spawnSync(python, args.map(String), { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`pytorch reference failed: ${child.stderr.slice(-2000)}`);
      return JSON.parse(child.stdout);
    },
  };
}

export async function benchThroughput(): Promise<void> {
  const torch = torchPython();
  const variants: Variant[] = [
    gesalp('fused', 1, 8, SAMPLE_ROWS),
    gesalp('fused', 2, 8, 0),
    gesalp('fused', 4, 8, 0),
    gesalp('wasm', 1, 3, SAMPLE_ROWS),
    ...(torch ? [1, 2, 4].flatMap((t) => [pytorch(torch.python, 'mse', t), pytorch(torch.python, 'mixed', t)]) : []),
  ];
  const runs = variants.map(() => [] as Run[]);
  let shape: Shape | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach((v, i) => {
      process.stderr.write(`throughput round ${round + 1}: ${v.engine}, ${v.threads} thread(s)\n`);
      const result = v.run(shape!);
      shape ??= result.shape;
      runs[i].push(result);
    });
  }
  const results = variants.map((v, i) => ({
    engine: v.engine,
    threads: v.threads,
    // Steady-state steps/s: gesalp after its first epoch, PyTorch after its warm-up steps.
    steps_per_s: median(runs[i].map((r) => r.warm_steps_per_s ?? r.steps_per_s)),
    runs_steps_per_s: runs[i].map((r) => r.warm_steps_per_s ?? r.steps_per_s),
    whole_run_steps_per_s: median(runs[i].map((r) => r.steps_per_s)),
    sample_s: runs[i][0].sample_s == null ? null : median(runs[i].map((r) => r.sample_s!)),
  }));
  const withRatio = results.map((r) => ({
    ...r,
    ratio_to_pytorch_mixed: ratioToTorch(results, r, 'pytorch MLPDiffusion (mixed loss)'),
    ratio_to_pytorch_mse: ratioToTorch(results, r, 'pytorch MLPDiffusion (mse loss)'),
  }));
  const machine = benchMachine();
  writeFileSync(
    join(RESULTS, 'train-throughput.json'),
    `${JSON.stringify({ benchmark: 'train-throughput', date: new Date().toISOString(), machine, shape, torch, rounds: ROUNDS, results: withRatio }, null, 2)}\n`,
  );
  const rows = withRatio.map(
    (r) =>
      `| ${r.engine} | ${r.threads} | ${r.steps_per_s} | ${r.runs_steps_per_s.join(', ')} | ${r.whole_run_steps_per_s} | ${r.ratio_to_pytorch_mixed ?? ''} | ${r.ratio_to_pytorch_mse ?? ''} | ${r.sample_s ?? ''} |`,
  );
  const table = [
    '| engine | threads | median steps/s (warm) | runs | whole run | fused / PyTorch (mixed) | fused / PyTorch (mse) | sampling 32,561 rows (s) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const text = [
    '# Training throughput, default TabDDPM on adult (26,049 training rows)',
    '',
    `${new Date().toISOString()}, ${machine}; medians of ${ROUNDS} rounds in which the variants take turns (\`npm run bench throughput\`).`,
    '',
    `Shapes: ${shape?.d_num} numeric columns, categorical spans ${shape?.spans.join('+')}, batch ${shape?.batch}, width ${shape?.width}, ${shape?.layers} hidden layers, ${shape?.timesteps} timesteps. ${torchNote(torch, TORCH_STEPS)}`,
    'Warm steps/s: gesalp after its first epoch (WebAssembly tiers up from its baseline compiler while it runs), PyTorch',
    'after 20 warm-up steps; "whole run" counts the first epoch too.',
    'A gesalp step includes building the noised batch, the mixed loss, AdamW and the weight average. PyTorch "mixed" is',
    'the reference\'s training step (the same work: noising, the mixed loss in log space, AdamW, the average); "mse" is the',
    "network alone with an MSE loss, a bar gesalp's step (which always includes the mixed loss) is held to as well.",
    '',
    table,
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'train-throughput.md'), text);
  process.stdout.write(`${text}\n`);
}
