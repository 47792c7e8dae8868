import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { FusedNet } from '../../../src/models/nn/fused/fused-net.js';
import { weightCount, type NetNode, type NetSpec } from '../../../src/models/nn/spec.js';
import { checkAgainstFiniteDifferences, uniform } from '../../helpers/finite-differences.js';

/** Every layer kind of the fused engine against central finite differences of its own forward pass. */

const chain = (width: number, ...tail: NetNode[]): NetSpec => ({
  nodes: [{ op: 'input', name: 'x', width }, { op: 'dense', from: 0, width: 6 }, ...tail],
  output: 1 + tail.length,
});

describe('the fused engine: gradients of each layer kind against finite differences', () => {
  const rng = createRng(4);
  const x = { x: uniform(7 * 5, rng) };

  it('dense (with widths that are not multiples of 4)', () => {
    checkAgainstFiniteDifferences(chain(5), x, 7);
  });

  for (const kind of ['relu', 'leaky_relu', 'tanh', 'silu', 'sigmoid'] as const) {
    it(`${kind} between two dense layers`, () => {
      const spec = chain(5, { op: 'activation', from: 1, kind, slope: 0.2 }, { op: 'dense', from: 2, width: 3 });
      checkAgainstFiniteDifferences(spec, x, 7);
    });
  }

  it('dropout (the same seed draws the same mask)', () => {
    const spec = chain(5, { op: 'dropout', from: 1, rate: 0.5 }, { op: 'dense', from: 2, width: 3 });
    checkAgainstFiniteDifferences(spec, x, 7);
  });

  it('add and gather: a small table spread over the rows by an index, added to a projection', () => {
    const spec: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 5 },
        { op: 'input', name: 'table', width: 4 },
        { op: 'index', name: 'pick' },
        { op: 'dense', from: 0, width: 6 },
        { op: 'dense', from: 1, width: 6 },
        { op: 'activation', from: 4, kind: 'silu' },
        { op: 'gather', from: 5, index: 2 },
        { op: 'add', from: [3, 6] },
        { op: 'dense', from: 7, width: 3 },
      ],
      output: 8,
    };
    const inputs = { x: x.x, table: uniform(3 * 4, rng), pick: Int32Array.from([2, 0, 0, 1, 2, 2, 1]) };
    checkAgainstFiniteDifferences(spec, inputs, 7);
  });
});

describe('the fused engine: output heads', () => {
  const rng = createRng(6);
  const x = { x: uniform(7 * 5, rng) };
  const spans = [
    { size: 1, activation: 'tanh' },
    { size: 3, activation: 'softmax' },
    { size: 1, activation: 'linear' },
    { size: 4, activation: 'gumbel_softmax' },
  ] as const;
  const spec: NetSpec = {
    nodes: [
      { op: 'input', name: 'x', width: 5 },
      { op: 'dense', from: 0, width: 9 },
      { op: 'head', from: 1, spans, tau: 0.5 },
    ],
    output: 2,
  };

  it('tanh, softmax, linear and Gumbel-softmax spans: gradients against finite differences (the same seed draws the same noise)', () => {
    checkAgainstFiniteDifferences(spec, x, 7);
  });

  it('gives probabilities on softmax spans, and Gumbel-softmax at a low temperature samples the softmax distribution', () => {
    // Logits log(0.1, 0.2, 0.7) on the Gumbel span: its argmax is a draw from (0.1, 0.2, 0.7) (the Gumbel-max trick).
    const one: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 3 },
        { op: 'head', from: 0, spans: [{ size: 3, activation: 'gumbel_softmax' }], tau: 0.2 },
      ],
      output: 1,
    };
    const net = new FusedNet(one, new Float32Array(0));
    const rows = 6000;
    const logits = new Float32Array(rows * 3).map((_, i) => Math.log([0.1, 0.2, 0.7][i % 3]));
    const out = net.forward({ x: logits }, 12);
    const counts = [0, 0, 0];
    for (let r = 0; r < rows; r++) {
      const row = out.subarray(r * 3, r * 3 + 3);
      expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 5);
      counts[row.indexOf(Math.max(...row))]++;
    }
    // Binomial sd of each share is at most 0.0065 at 6,000 rows: 4 sd.
    [0.1, 0.2, 0.7].forEach((p, c) => expect(Math.abs(counts[c] / rows - p)).toBeLessThan(0.026));
  });
});

describe('the fused engine: dropout', () => {
  it('keeps about 1 - rate of the units, scaled by 1 / (1 - rate), and none when sampling', () => {
    const spec = chain(4, { op: 'dropout', from: 1, rate: 0.3 });
    const rng = createRng(2);
    const weights = uniform(weightCount(spec), rng);
    const net = new FusedNet(spec, weights);
    const inputs = { x: uniform(2000 * 4, rng) };
    const plain = net.forward(inputs).slice();
    let kept = 0;
    net.gradient(
      inputs,
      5,
      (output) => {
        for (let i = 0; i < output.length; i++) {
          if (output[i] !== 0) {
            kept++;
            expect(output[i]).toBeCloseTo(plain[i] / 0.7, 4);
          }
        }
        return { loss: 0, gradient: new Float32Array(output.length) };
      },
      new Float32Array(weights.length),
    );
    // 12,000 units, keep probability 0.7: sd of the share is 0.004.
    expect(Math.abs(kept / plain.length - 0.7)).toBeLessThan(0.02);
  });
});

describe('the fused engine: memory', () => {
  it('lays its buffers out once: the memory does not grow across steps of the same or smaller batches', () => {
    const spec = chain(5, { op: 'activation', from: 1, kind: 'relu' }, { op: 'dense', from: 2, width: 3 });
    const rng = createRng(8);
    const weights = uniform(weightCount(spec), rng);
    const net = new FusedNet(spec, weights);
    const into = new Float32Array(weights.length);
    const step = (rows: number) =>
      net.gradient({ x: uniform(rows * 5, rng) }, 1, (o) => ({ loss: 0, gradient: new Float32Array(o.length) }), into);
    step(64);
    const size = net.memoryBytes;
    for (let i = 0; i < 200; i++) step(1 + (i % 64));
    expect(net.memoryBytes).toBe(size);
  });
});

describe('the fused engine: what it refuses and what it keeps', () => {
  const spec = chain(5, { op: 'activation', from: 1, kind: 'relu' });
  const rng = createRng(3);
  const weights = uniform(weightCount(spec), rng);

  it('passes a NaN through ReLU as TensorFlow.js does, instead of hiding it as 0', () => {
    const net = new FusedNet(spec, weights);
    const out = net.forward({ x: Float32Array.from([NaN, 1, 2, 3, 4]) });
    expect(out.some(Number.isNaN)).toBe(true);
  });

  it('refuses a gather index outside its table before any work', () => {
    const gather: NetSpec = {
      nodes: [
        { op: 'input', name: 't', width: 4 },
        { op: 'index', name: 'i' },
        { op: 'gather', from: 0, index: 1 },
        { op: 'dense', from: 2, width: 2 },
      ],
      output: 3,
    };
    const net = new FusedNet(gather, uniform(weightCount(gather), rng));
    const table = uniform(2 * 4, rng);
    expect(() => net.forward({ t: table, i: Int32Array.from([0, 2]) })).toThrow(/gathers row 2 of a table of 2 rows/);
    expect(() => net.forward({ t: table, i: Int32Array.from([-1]) })).toThrow(/gathers row -1/);
    expect(net.forward({ t: table, i: Int32Array.from([1, 0]) })).toHaveLength(4);
  });

  it('refuses head spans that do not cover their input exactly', () => {
    const head = (sizes: number[]): NetSpec => ({
      nodes: [
        { op: 'input', name: 'x', width: 6 },
        { op: 'head', from: 0, spans: sizes.map((size) => ({ size, activation: 'softmax' as const })) },
      ],
      output: 1,
    });
    expect(() => new FusedNet(head([2]), new Float32Array(0))).toThrow(/spans of 2 columns over 6/);
    expect(() => new FusedNet(head([3, 0, 3]), new Float32Array(0))).toThrow(/without columns/);
  });

  it('says the network is too large for WebAssembly memory, and stays usable after a batch that did not fit', () => {
    const huge: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 40000 },
        { op: 'dense', from: 0, width: 40000 },
      ],
      output: 1,
    };
    expect(() => new FusedNet(huge, new Float32Array(0))).toThrow(/MiB of WebAssembly memory/);
    // 1,024 units a row, values and gradients: 300,000 rows need about 5 GiB.
    const wide: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 5 },
        { op: 'dense', from: 0, width: 1024 },
        { op: 'activation', from: 1, kind: 'relu' },
      ],
      output: 2,
    };
    const net = new FusedNet(wide, uniform(weightCount(wide), rng));
    const x = { x: uniform(3 * 5, rng) };
    const small = net.forward(x).slice();
    expect(() => net.forward({ x: new Float32Array(300_000 * 5) })).toThrow(/MiB of WebAssembly memory/);
    expect(Array.from(net.forward(x))).toEqual(Array.from(small));
  });

  it('a forward-only network samples as the training one does, and refuses a gradient', () => {
    const x = { x: uniform(9 * 5, rng) };
    const forwardOnly = new FusedNet(spec, weights, false);
    expect(Array.from(forwardOnly.forward(x))).toEqual(Array.from(new FusedNet(spec, weights).forward(x)));
    expect(() =>
      forwardOnly.gradient(x, 0, (o) => ({ loss: 0, gradient: o }), new Float32Array(weights.length)),
    ).toThrow(/no gradients/);
  });

  it('runs again after dispose', () => {
    const net = new FusedNet(spec, weights);
    const x = { x: uniform(4 * 5, rng) };
    const before = net.forward(x).slice();
    net.dispose();
    expect(Array.from(net.forward(x))).toEqual(Array.from(before));
  });
});
