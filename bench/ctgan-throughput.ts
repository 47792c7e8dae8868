/**
 * CTGAN training speed on adult, in one run: gesalp's fused engine on 1 and 2 threads, and, where
 * python3 can import torch, the reference's training step in PyTorch on the same shapes and
 * threads (bench/reference/ctgan_step.py). Variants take turns for BENCH_REPEATS rounds (default
 * 3) and the medians are reported with the fused engine's ratio to PyTorch at the same thread
 * count. Writes bench/results/ctgan-throughput.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../src/metrics/stats.js';
import { datasetPath } from './datasets.js';
import { benchMachine, ratioToTorch, torchNote, torchPython } from './torch-reference.js';

const CHILD = fileURLToPath(new URL('./ctgan-throughput-child.js', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../bench/reference/ctgan_step.py', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const ROUNDS = Number(process.env.BENCH_REPEATS ?? 3);
/** gesalp: 3 epochs of 52 steps, timed after the first; PyTorch: as many steps after its warm-up. */
const EPOCHS = 3;
const TORCH_STEPS = 100;
const THREADS = [1, 2];

interface Shape {
  readonly spans: [number, string][];
  readonly discrete: number[];
  readonly batch: number;
  readonly embedding: number;
  readonly generator: number[];
  readonly discriminator: number[];
  readonly pac: number;
}

interface Run {
  readonly steps_per_s: number;
  readonly warm_steps_per_s?: number | null;
  readonly shape?: Shape;
}

interface Variant {
  readonly engine: string;
  readonly threads: number;
  readonly run: (shape: Shape | undefined) => Run;
}

function gesalp(threads: number): Variant {
  return {
    engine: 'gesalp fused',
    threads,
    run: () => {
      const args = [CHILD, datasetPath('adult.csv'), String(threads), String(EPOCHS)];
      const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`ctgan throughput child failed: ${child.stderr.slice(-2000)}`);
      return JSON.parse(child.stdout) as Run;
    },
  };
}

/** `reference`: the critic step backpropagates into the generator too, as the reference's loop; `detached`: it does not, as gesalp's. */
function pytorch(python: string, threads: number, mode: 'reference' | 'detached'): Variant {
  return {
    engine: `pytorch CTGAN step (${mode})`,
    threads,
    run: (s) => {
      if (!s) throw new Error('the PyTorch reference needs the shapes of a gesalp run first');
      const args = [
        REFERENCE,
        JSON.stringify(s.spans),
        JSON.stringify(s.discrete),
        s.batch,
        s.embedding,
        s.generator.join(','),
        s.discriminator.join(','),
        s.pac,
        threads,
        TORCH_STEPS,
        mode,
      ];
      const child = spawnSync(python, args.map(String), { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`pytorch CTGAN reference failed: ${child.stderr.slice(-2000)}`);
      return JSON.parse(child.stdout) as Run;
    },
  };
}

export async function benchCtganThroughput(): Promise<void> {
  const torch = torchPython();
  // gesalp first: its run gives the shapes.
  const variants = [
    ...THREADS.map(gesalp),
    ...(torch
      ? THREADS.flatMap((t) => [pytorch(torch.python, t, 'reference'), pytorch(torch.python, t, 'detached')])
      : []),
  ];
  const runs = variants.map(() => [] as Run[]);
  let shape: Shape | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach((v, i) => {
      process.stderr.write(`ctgan throughput round ${round + 1}: ${v.engine}, ${v.threads} thread(s)\n`);
      const result = v.run(shape);
      shape ??= result.shape;
      runs[i].push(result);
    });
  }
  const results = variants.map((v, i) => {
    const steps = runs[i].map((r) => r.warm_steps_per_s ?? r.steps_per_s);
    return { engine: v.engine, threads: v.threads, steps_per_s: median(steps), runs_steps_per_s: steps };
  });
  const withRatio = results.map((r) => ({
    ...r,
    ratio_to_pytorch_detached: ratioToTorch(results, r, 'pytorch CTGAN step (detached)'),
    ratio_to_pytorch_reference: ratioToTorch(results, r, 'pytorch CTGAN step (reference)'),
  }));
  const machine = benchMachine();
  writeFileSync(
    join(RESULTS, 'ctgan-throughput.json'),
    `${JSON.stringify({ benchmark: 'ctgan-throughput', date: new Date().toISOString(), machine, shape, torch, rounds: ROUNDS, results: withRatio }, null, 2)}\n`,
  );
  const rows = withRatio.map(
    (r) =>
      `| ${r.engine} | ${r.threads} | ${r.steps_per_s} | ${r.runs_steps_per_s.join(', ')} | ${r.ratio_to_pytorch_detached ?? ''} | ${r.ratio_to_pytorch_reference ?? ''} |`,
  );
  const softmax = shape?.spans.filter(([, kind]) => kind === 'softmax').map(([size]) => size) ?? [];
  const text = [
    '# Training throughput, default CTGAN on adult (26,049 training rows)',
    '',
    `${new Date().toISOString()}, ${machine}; medians of ${ROUNDS} rounds in which the variants take turns (\`npm run bench ctgan-throughput\`).`,
    '',
    `Shapes: ${shape?.spans.length} spans (${shape ? shape.spans.length - softmax.length : '?'} scalars, softmax spans ${softmax.join('+')}), conditional vector over spans ${shape?.discrete.join(',')}, batch ${shape?.batch}, embedding ${shape?.embedding}, generator ${shape?.generator.join('x')}, discriminator ${shape?.discriminator.join('x')}, pac ${shape?.pac}. ${torchNote(torch, TORCH_STEPS)}`,
    'A step is one critic step (WGAN loss and gradient penalty) and one generator step, with Adam on each. gesalp: steps/s',
    'after its first epoch (WebAssembly tiers up while it runs), including training-by-sampling of the real rows.',
    'PyTorch "detached" generates the critic step\'s fake rows without a graph, as gesalp does (the same work);',
    '"reference" keeps the graph, so the critic\'s backward passes also run through the generator, as the reference\'s loop does.',
    '',
    '| engine | threads | median steps/s | runs | fused / PyTorch (detached) | fused / PyTorch (reference) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'ctgan-throughput.md'), text);
  process.stdout.write(`${text}\n`);
}
