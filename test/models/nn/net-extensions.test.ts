import { describe, expect, it } from '@jest/globals';
import { useBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { initialNetWeights } from '../../../src/models/nn/init.js';
import { FusedNet } from '../../../src/models/nn/fused/fused-net.js';
import type { Net } from '../../../src/models/nn/net.js';
import { TfjsNet } from '../../../src/models/nn/tfjs/tfjs-net.js';
import { paramBlocks, weightCount, type NetInputs, type NetSpec } from '../../../src/models/nn/spec.js';
import { checkAgainstFiniteDifferences, uniform } from '../../helpers/finite-differences.js';

/**
 * What CTGAN, TVAE and DP-SGD ask of the engine beyond TabDDPM: concatenation, batch norm,
 * gradients w.r.t. inputs, per-example gradient norms, and WGAN-GP's gradient penalty.
 */

/** CTGAN's residual block: dense, batch norm, ReLU, concatenated with its input. */
const residual: NetSpec = {
  nodes: [
    { op: 'input', name: 'z', width: 5 },
    { op: 'dense', from: 0, width: 6 },
    { op: 'batch_norm', from: 1 },
    { op: 'activation', from: 2, kind: 'relu' },
    { op: 'concat', from: [3, 0] },
    { op: 'dense', from: 4, width: 3 },
  ],
  output: 5,
};

/** A discriminator-shaped network: piecewise linear, one output column, its input's gradient wanted. */
const critic = (dropout: number): NetSpec => ({
  nodes: [
    { op: 'input', name: 'x', width: 7, gradient: true },
    { op: 'dense', from: 0, width: 9 },
    { op: 'activation', from: 1, kind: 'leaky_relu', slope: 0.2 },
    { op: 'dropout', from: 2, rate: dropout },
    { op: 'dense', from: 3, width: 6 },
    { op: 'activation', from: 4, kind: 'leaky_relu', slope: 0.2 },
    { op: 'concat', from: [5, 0] },
    { op: 'dense', from: 6, width: 1 },
  ],
  output: 7,
});

describe('engine extensions: concat and batch norm', () => {
  it('gives the residual block gradients that match finite differences (SiLU for ReLU: no kinks to step over)', () => {
    const rng = createRng(3);
    const smooth: NetSpec = {
      ...residual,
      nodes: residual.nodes.map((node) => (node.op === 'activation' ? { ...node, kind: 'silu' as const } : node)),
    };
    checkAgainstFiniteDifferences(smooth, { z: uniform(8 * 5, rng) }, 8);
  });

  it('normalises with the batch statistics: each column of the normalised rows has mean beta and sd gamma', () => {
    const spec: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 3 },
        { op: 'batch_norm', from: 0, epsilon: 0 },
      ],
      output: 1,
    };
    const weights = new Float32Array([2, 0.5, 1, -1, 3, 0]); // gamma, then beta
    const rng = createRng(8);
    const x = Float32Array.from({ length: 50 * 3 }, (_, i) => (i % 3) * 10 + rng.next() * (1 + (i % 3)));
    const y = new FusedNet(spec, weights, false).forward({ x });
    for (let j = 0; j < 3; j++) {
      const column = Array.from({ length: 50 }, (_, r) => y[r * 3 + j]);
      const mean = column.reduce((a, b) => a + b, 0) / 50;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / 50);
      expect(mean).toBeCloseTo(weights[3 + j], 4);
      expect(sd).toBeCloseTo(Math.abs(weights[j]), 4);
    }
  });

  it('lays out batch norm weights as gamma then beta in node order, initialised to 1 and 0', () => {
    const blocks = paramBlocks(residual);
    expect(blocks.map((b) => [b.op, b.offset])).toEqual([
      ['dense', 0],
      ['batch_norm', 36],
      ['dense', 48],
    ]);
    const weights = initialNetWeights(residual, createRng(1));
    expect(weights.length).toBe(weightCount(residual));
    expect([...weights.subarray(36, 42)]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...weights.subarray(42, 48)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Math.max(...weights.subarray(0, 36).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(5));
  });

  it('gives the same output and gradients as tfjs for the residual block', async () => {
    await useBackend('cpu');
    const rng = createRng(5);
    const weights = uniform(weightCount(residual), rng, 0.5);
    const inputs = { z: uniform(11 * 5, rng) };
    const r = uniform(11 * 3, rng);
    const run = (net: Net) => {
      const output = net.forward(inputs).slice();
      const gradient = new Float32Array(weights.length);
      net.gradient(inputs, 0, () => ({ loss: 0, gradient: r }), gradient);
      net.dispose();
      return { output, gradient };
    };
    const fused = run(new FusedNet(residual, weights));
    const tfjs = run(new TfjsNet(residual, weights));
    for (let i = 0; i < fused.output.length; i++) expect(fused.output[i]).toBeCloseTo(tfjs.output[i], 4);
    for (let i = 0; i < weights.length; i++) expect(fused.gradient[i]).toBeCloseTo(tfjs.gradient[i], 4);
  });
});

describe('engine extensions: the gradient w.r.t. an input', () => {
  it('matches finite differences of the loss in the input, and tfjs', async () => {
    const rng = createRng(6);
    const spec = critic(0);
    const weights = uniform(weightCount(spec), rng, 0.5);
    const x = uniform(4 * 7, rng);
    const r = uniform(4, rng);
    const lossAt = (net: Net, input: Float32Array) => {
      let loss = 0;
      net.gradient(
        { x: input },
        0,
        (out) => {
          for (let i = 0; i < out.length; i++) loss += out[i] * r[i];
          return { loss, gradient: r };
        },
        new Float32Array(weights.length),
      );
      return loss;
    };
    const fused = new FusedNet(spec, weights);
    lossAt(fused, x);
    const gradient = fused.inputGradient('x').slice();
    const h = 1e-2;
    for (let i = 0; i < x.length; i++) {
      const up = x.slice();
      const down = x.slice();
      up[i] += h;
      down[i] -= h;
      const numeric = (lossAt(fused, up) - lossAt(fused, down)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 2);
    }
    await useBackend('cpu');
    const tfjs = new TfjsNet(spec, weights);
    lossAt(tfjs, x);
    const other = tfjs.inputGradient('x');
    for (let i = 0; i < x.length; i++) expect(other[i]).toBeCloseTo(gradient[i], 4);
    expect(() => fused.inputGradient('nope')).toThrow(/no gradient for input 'nope'/);
  });
});

describe('engine extensions: per-example gradients (DP-SGD clipping)', () => {
  const spec = critic(0);
  const rng = createRng(7);
  const weights = uniform(weightCount(spec), rng, 0.5);
  const rows = 6;
  const x = uniform(rows * 7, rng);
  const r = uniform(rows, rng);
  const lossOf = (out: Float32Array, m: number) => ({ loss: 0, gradient: r.slice(0, m) });

  /** Independent reference: one ordinary gradient pass per row. */
  const perRow = () => {
    const net = new FusedNet(spec, weights);
    return Array.from({ length: rows }, (_, i) => {
      const g = new Float32Array(weights.length);
      net.gradient({ x: x.slice(i * 7, (i + 1) * 7) }, 0, () => ({ loss: 0, gradient: r.slice(i, i + 1) }), g);
      return g;
    });
  };

  it("gives each row's squared gradient norm and the scaled sum, as one pass per row does", () => {
    const reference = perRow();
    const net = new FusedNet(spec, weights);
    net.gradient({ x }, 0, lossOf, new Float32Array(0), { perExample: true });
    const norms = net.exampleNorms();
    reference.forEach((g, i) => {
      const expected = g.reduce((a, v) => a + v * v, 0);
      expect(norms[i]).toBeCloseTo(expected, 4);
    });
    const scale = Float32Array.from({ length: rows }, (_, i) => 0.25 * (i + 1));
    const sum = new Float32Array(weights.length);
    net.accumulate(scale, sum);
    for (let k = 0; k < weights.length; k++) {
      const expected = reference.reduce((a, g, i) => a + scale[i] * g[k], 0);
      expect(sum[k]).toBeCloseTo(expected, 4);
    }
    expect(() => net.accumulate(scale, sum)).toThrow(/follows a gradient pass with perExample/);
  });

  it("joined by a per-example penalty, gives each row's norm and sum of both terms, as two passes per row do", () => {
    const mixed = uniform(rows * 7, rng);
    const weight = 10;
    // Reference: per row, an ordinary gradient pass on that row and the penalty of that row alone (its mean is its term).
    const net = new FusedNet(spec, weights);
    const reference = Array.from({ length: rows }, (_, i) => {
      const g = new Float32Array(weights.length);
      net.gradient({ x: x.slice(i * 7, (i + 1) * 7) }, 0, () => ({ loss: 0, gradient: r.slice(i, i + 1) }), g);
      const p = new Float32Array(weights.length);
      net.gradientPenalty({ x: mixed.slice(i * 7, (i + 1) * 7) }, 0, p);
      return g.map((v, k) => v + weight * p[k]);
    });
    const penalties = Array.from({ length: rows }, (_, i) =>
      net.gradientPenalty({ x: mixed.slice(i * 7, (i + 1) * 7) }, 0, new Float32Array(weights.length)),
    );
    net.gradient({ x }, 0, lossOf, new Float32Array(0), { perExample: true });
    const total = net.gradientPenalty({ x: mixed }, 0, new Float32Array(0), { perExample: true, weight });
    expect(total).toBeCloseTo(weight * penalties.reduce((a, p) => a + p, 0), 4);
    const norms = net.exampleNorms();
    reference.forEach((g, i) => {
      const expected = g.reduce((a, v) => a + v * v, 0);
      expect(Math.abs(norms[i] - expected)).toBeLessThan(1e-4 * Math.max(1, expected));
    });
    const scale = Float32Array.from({ length: rows }, (_, i) => 0.25 * (i + 1));
    const sum = new Float32Array(weights.length);
    net.accumulate(scale, sum);
    const size = Math.max(...sum.map(Math.abs));
    for (let k = 0; k < weights.length; k++) {
      const expected = reference.reduce((a, g, i) => a + scale[i] * g[k], 0);
      expect(Math.abs(sum[k] - expected)).toBeLessThan(1e-4 * size);
    }
    // Only right after a per-example pass over the same rows.
    expect(() => net.gradientPenalty({ x: mixed }, 0, sum, { perExample: true })).toThrow(/joins a gradient pass/);
    net.gradient({ x }, 0, lossOf, new Float32Array(0), { perExample: true });
    expect(() => net.gradientPenalty({ x: mixed.slice(7) }, 0, sum, { perExample: true })).toThrow(/needs the 6 rows/);
  });

  it('refuses per-example gradients where rows are not examples (batch norm), and on tfjs', async () => {
    const net = new FusedNet(residual, uniform(weightCount(residual), rng));
    expect(() =>
      net.gradient(
        { z: uniform(4 * 5, rng) },
        0,
        () => ({ loss: 0, gradient: new Float32Array(12) }),
        new Float32Array(0),
        {
          perExample: true,
        },
      ),
    ).toThrow(/rows that are examples/);
    await useBackend('cpu');
    const tfjs = new TfjsNet(spec, weights);
    expect(() => tfjs.gradient({ x }, 0, lossOf, new Float32Array(weights.length), { perExample: true })).toThrow(
      /fused engine only/,
    );
  });
});

/**
 * Independent float64 reference for the penalty: the network evaluated in plain JavaScript
 * (no dropout), its input gradient by the chain rule, and the penalty's weight gradient by
 * central finite differences in double precision.
 */
function referencePenalty(spec: NetSpec, weights: Float64Array, x: Float64Array, rows: number): number {
  const blocks = paramBlocks(spec);
  let penalty = 0;
  for (let r = 0; r < rows; r++) {
    const values: Float64Array[] = [];
    const slopes: Float64Array[] = [];
    spec.nodes.forEach((node, i) => {
      if (node.op === 'input') values.push(x.slice(r * node.width, (r + 1) * node.width));
      else if (node.op === 'dense') {
        const b = blocks.find((block) => block.node === i)!;
        const input = values[node.from];
        const out = new Float64Array(b.cols);
        for (let j = 0; j < b.cols; j++) {
          let sum = weights[b.offset + b.rows * b.cols + j];
          for (let k = 0; k < b.rows; k++) sum += input[k] * weights[b.offset + k * b.cols + j];
          out[j] = sum;
        }
        values.push(out);
      } else if (node.op === 'activation') {
        const slope = node.kind === 'relu' ? 0 : (node.slope ?? 0.01);
        slopes[i] = values[node.from].map((v) => (v > 0 ? 1 : slope));
        values.push(values[node.from].map((v) => (v > 0 ? v : slope * v)));
      } else if (node.op === 'dropout') values.push(values[node.from]);
      else if (node.op === 'concat') values.push(Float64Array.from(node.from.flatMap((f) => [...values[f]])));
      else throw new Error(`reference lacks ${node.op}`);
    });
    // Backward from the output (width 1) to the input.
    const grads: Float64Array[] = values.map((v) => new Float64Array(v.length));
    grads[spec.output][0] = 1;
    for (let i = spec.nodes.length - 1; i > 0; i--) {
      const node = spec.nodes[i];
      if (node.op === 'dense') {
        const b = blocks.find((block) => block.node === i)!;
        for (let k = 0; k < b.rows; k++)
          for (let j = 0; j < b.cols; j++) grads[node.from][k] += grads[i][j] * weights[b.offset + k * b.cols + j];
      } else if (node.op === 'activation') grads[i].forEach((g, j) => (grads[node.from][j] += g * slopes[i][j]));
      else if (node.op === 'dropout') grads[i].forEach((g, j) => (grads[node.from][j] += g));
      else if (node.op === 'concat') {
        let offset = 0;
        for (const f of node.from) {
          for (let j = 0; j < values[f].length; j++) grads[f][j] += grads[i][offset + j];
          offset += values[f].length;
        }
      }
    }
    const norm = Math.sqrt(grads[0].reduce((a, g) => a + g * g, 0));
    penalty += (norm - 1) ** 2;
  }
  return penalty / rows;
}

describe("engine extensions: WGAN-GP's gradient penalty", () => {
  it('matches a float64 reference and its finite differences in every weight', () => {
    const spec = critic(0);
    const rng = createRng(11);
    const weights = uniform(weightCount(spec), rng, 0.6);
    const rows = 5;
    const x = uniform(rows * 7, rng);
    const net = new FusedNet(spec, weights);
    const gradient = new Float32Array(weights.length);
    const penalty = net.gradientPenalty({ x }, 0, gradient);
    const w64 = Float64Array.from(weights);
    const x64 = Float64Array.from(x);
    expect(penalty).toBeCloseTo(referencePenalty(spec, w64, x64, rows), 4);
    const h = 1e-6;
    const scale = Math.max(...gradient.map(Math.abs));
    for (let i = 0; i < weights.length; i++) {
      const up = w64.slice();
      const down = w64.slice();
      up[i] += h;
      down[i] -= h;
      const numeric = (referencePenalty(spec, up, x64, rows) - referencePenalty(spec, down, x64, rows)) / (2 * h);
      expect(Math.abs(gradient[i] - numeric)).toBeLessThan(1e-4 * Math.max(scale, 1));
    }
  });

  it('with dropout, matches finite differences of its own penalty under the same masks', () => {
    const spec = critic(0.5);
    const rng = createRng(12);
    const weights = uniform(weightCount(spec), rng, 0.6);
    const x = { x: uniform(6 * 7, rng) };
    const net = new FusedNet(spec, weights);
    const gradient = new Float32Array(weights.length);
    net.gradientPenalty(x, 99, gradient);
    const at = (w: Float32Array) => {
      net.setWeights(w);
      return net.gradientPenalty(x, 99, new Float32Array(w.length));
    };
    // A step can cross a LeakyReLU kink, where the penalty is not differentiable: those weights
    // show one-sided slopes that disagree, and are left out (a few at most).
    const h = 2e-3;
    const base = at(weights);
    let checked = 0;
    for (let i = 0; i < weights.length; i++) {
      const up = weights.slice();
      const down = weights.slice();
      up[i] += h;
      down[i] -= h;
      const [above, below] = [at(up), at(down)];
      if (Math.abs((above - base) / h - (base - below) / h) > 1e-2) continue;
      checked++;
      const numeric = (above - below) / (2 * h);
      expect(Math.abs(gradient[i] - numeric)).toBeLessThan(3e-3 * Math.max(1, Math.abs(numeric)));
    }
    expect(checked).toBeGreaterThan(0.8 * weights.length);
  });

  it('is refused for networks that are not piecewise linear or have several outputs', () => {
    const smooth: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 3, gradient: true },
        { op: 'dense', from: 0, width: 4 },
        { op: 'activation', from: 1, kind: 'tanh' },
        { op: 'dense', from: 2, width: 1 },
      ],
      output: 3,
    };
    const inputs: NetInputs = { x: new Float32Array(6) };
    expect(() =>
      new FusedNet(smooth, new Float32Array(weightCount(smooth))).gradientPenalty(inputs, 0, new Float32Array(21)),
    ).toThrow(/piecewise-linear/);
    expect(() =>
      new FusedNet(residual, new Float32Array(weightCount(residual))).gradientPenalty(inputs, 0, new Float32Array(0)),
    ).toThrow(/piecewise-linear/);
  });
});
