/**
 * The TabDDPM denoiser (MLPDiffusion in the reference) as a network description: the noisy row
 * is projected to dim_t, the sinusoidal embedding of t goes through Linear-SiLU-Linear and is
 * added to it, then an MLP of `layers` ReLU blocks of `width` units (each followed by dropout
 * when it is on) and a linear head as wide as the row. The time MLP runs once per distinct
 * timestep of the batch (the `time` rows), and a gather spreads its rows over the batch by
 * `step`, so a batch of 256 rows with 100 timesteps evaluates it on at most 100 rows. Under
 * DP-SGD each row must be its own example (a gather sums rows' gradients), so the per-row
 * variant feeds every row its own time features instead: same dense nodes in the same order,
 * hence the same weights, saved files and sampling.
 */
import type { Rng } from '../../core/rng.js';
import { initialNetWeights } from '../nn/init.js';
import { denseShapes, weightCount as specWeightCount, type NetNode, type NetSpec } from '../nn/spec.js';

export const TIME_DIM = 128;

export interface DenoiserShape {
  readonly inputWidth: number;
  readonly layers: number;
  readonly width: number;
  /** Dropout after each hidden block while training (0: none). */
  readonly dropout?: number;
}

/** A denoiser's shape and flat weights (the average, which is what samples). */
export interface TrainedDenoiser {
  readonly shape: DenoiserShape;
  readonly weights: Float32Array;
}

/**
 * The network's inputs: `x` the noisy rows, `time` the features of distinct timesteps, `step` which of them each
 * row has (in the per-row variant `time` has a row per row of `x`, and there is no `step`).
 */
export const X = 'x';
export const TIME = 'time';
export const STEP = 'step';

/** Dense nodes in the fixed order of the weights: proj, time1, time2, blocks, head. `timePerRow`: the DP-SGD variant. */
export function denoiserSpec(shape: DenoiserShape, timePerRow = false): NetSpec {
  const nodes: NetNode[] = timePerRow
    ? [
        { op: 'input', name: X, width: shape.inputWidth },
        { op: 'input', name: TIME, width: TIME_DIM },
        { op: 'dense', from: 0, width: TIME_DIM },
        { op: 'dense', from: 1, width: TIME_DIM },
        { op: 'activation', from: 3, kind: 'silu' },
        { op: 'dense', from: 4, width: TIME_DIM },
        { op: 'add', from: [2, 5] },
      ]
    : [
        { op: 'input', name: X, width: shape.inputWidth },
        { op: 'input', name: TIME, width: TIME_DIM },
        { op: 'index', name: STEP },
        { op: 'dense', from: 0, width: TIME_DIM },
        { op: 'dense', from: 1, width: TIME_DIM },
        { op: 'activation', from: 4, kind: 'silu' },
        { op: 'dense', from: 5, width: TIME_DIM },
        { op: 'gather', from: 6, index: 2 },
        { op: 'add', from: [3, 7] },
      ];
  const add = (node: NetNode): number => nodes.push(node) - 1;
  let h = nodes.length - 1;
  for (let i = 0; i < shape.layers; i++) {
    h = add({ op: 'dense', from: h, width: shape.width });
    h = add({ op: 'activation', from: h, kind: 'relu' });
    if (shape.dropout) h = add({ op: 'dropout', from: h, rate: shape.dropout });
  }
  const output = add({ op: 'dense', from: h, width: shape.inputWidth });
  return { nodes, output };
}

/** Shapes of every weight (kernel, then bias, per layer), the order of flat weight arrays and saved files. */
export const denoiserShapes = (shape: DenoiserShape): number[][] =>
  denseShapes(denoiserSpec(shape)).flatMap(([fanIn, fanOut]) => [[fanIn, fanOut], [fanOut]]);

export const weightCount = (shape: DenoiserShape): number => specWeightCount(denoiserSpec(shape));

/** PyTorch's nn.Linear default, seeded: kernel and bias uniform in +-1/sqrt(fan_in). */
export const initialWeights = (shape: DenoiserShape, rng: Rng): Float32Array =>
  initialNetWeights(denoiserSpec(shape), rng);

/** The reference's timestep_embedding: [cos(t f_k), sin(t f_k)] with f_k = 10000^(-k/half). */
export function timeFeatureTable(steps: number): Float32Array {
  const half = TIME_DIM / 2;
  const table = new Float32Array(steps * TIME_DIM);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < half; k++) {
      const angle = t * Math.exp((-Math.log(10000) * k) / half);
      table[t * TIME_DIM + k] = Math.cos(angle);
      table[t * TIME_DIM + half + k] = Math.sin(angle);
    }
  }
  return table;
}

/** Each row's own time features [rows, TIME_DIM] (the per-row variant's `time`): row r is the table's row steps[r]. */
export function timeFeaturesPerRow(timeTable: Float32Array, steps: Int32Array): Float32Array {
  const out = new Float32Array(steps.length * TIME_DIM);
  steps.forEach((t, r) => out.set(timeTable.subarray(t * TIME_DIM, (t + 1) * TIME_DIM), r * TIME_DIM));
  return out;
}
