import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { initialNetWeights } from '../../../src/models/nn/init.js';
import { FusedNet } from '../../../src/models/nn/fused/fused-net.js';
import { fusedNets } from '../../../src/models/nn/create-net.js';
import { weightCount } from '../../../src/models/nn/spec.js';
import { headSpec } from '../../../src/models/ctgan/networks.js';
import { RowsByCategory } from '../../../src/models/ctgan/rows-by-category.js';
import { discreteSpans, type SpanLayout } from '../../../src/models/ctgan/spans.js';
import {
  CtganSteps,
  DISCRIMINATOR,
  GENERATOR,
  discriminatorOf,
  generatorOf,
  shapeWidths,
  type CtganShape,
} from '../../../src/models/ctgan/steps.js';

/** A numeric column (scalar + 2 modes) and a discrete one of 3 categories: data width 6, condition width 3. */
const layout: SpanLayout = {
  spans: [
    { size: 1, activation: 'tanh' },
    { size: 2, activation: 'softmax' },
    { size: 3, activation: 'softmax' },
  ],
  discreteSpans: [2],
};

function trainingRows(count: number) {
  const rng = createRng(21);
  const data = new Float32Array(count * 6);
  for (let r = 0; r < count; r++) {
    data[r * 6] = rng.next() * 1.6 - 0.8;
    data[r * 6 + 1 + rng.int(2)] = 1;
    data[r * 6 + 3 + rng.int(3)] = 1;
  }
  return { data, byCategory: new RowsByCategory(data, count, 6, discreteSpans(layout)) };
}

const tiny: CtganShape = { layout, embedding: 4, generatorDims: [5], discriminatorDims: [6], pac: 2 };

function steps(shape: CtganShape) {
  const rng = createRng(5);
  const initial = {
    generator: initialNetWeights(generatorOf(shape), rng),
    discriminator: initialNetWeights(discriminatorOf(shape), rng),
  };
  return { steps: new CtganSteps(shape, trainingRows(40), fusedNets, initial), initial };
}

/**
 * Central differences of `lossAt` in each weight against `gradient`. A step can cross a ReLU or
 * LeakyReLU kink, where the loss has no derivative: such weights show one-sided slopes that
 * disagree, and are left out; most weights must be checked.
 */
function checkGradient(weights: Float32Array, gradient: Float32Array, lossAt: (w: Float32Array) => number): void {
  const h = 2e-3;
  const base = lossAt(weights);
  let checked = 0;
  const misses: string[] = [];
  for (let i = 0; i < weights.length; i++) {
    const up = weights.slice();
    const down = weights.slice();
    up[i] += h;
    down[i] -= h;
    const [above, below] = [lossAt(up), lossAt(down)];
    if (Math.abs((above - base) / h - (base - below) / h) > 2e-2) continue;
    checked++;
    const numeric = (above - below) / (2 * h);
    if (Math.abs(gradient[i] - numeric) > 5e-3 * Math.max(1, Math.abs(numeric)))
      misses.push(`${i}: ${gradient[i]} vs ${numeric}`);
  }
  expect(misses).toEqual([]);
  expect(checked).toBeGreaterThan(0.8 * weights.length);
}

describe('CTGAN networks', () => {
  it('have the reference sizes: residual blocks that widen the input, a packed one-score critic', () => {
    const shape: CtganShape = {
      layout,
      embedding: 128,
      generatorDims: [256, 256],
      discriminatorDims: [256, 256],
      pac: 10,
    };
    const w = shapeWidths(shape);
    expect(w).toMatchObject({ data: 6, cond: 3, generatorInput: 131, packed: 90 });
    // PyTorch's parameter counts: Linear(131, 256) + BN(256) + Linear(387, 256) + BN(256) + Linear(643, 6).
    expect(weightCount(generatorOf(shape))).toBe(132 * 256 + 512 + 388 * 256 + 512 + 644 * 6);
    // Linear(90, 256) + Linear(256, 256) + Linear(256, 1).
    expect(weightCount(discriminatorOf(shape))).toBe(91 * 256 + 257 * 256 + 257);
    const generator = new FusedNet(generatorOf(shape), initialNetWeights(generatorOf(shape), createRng(1)), false);
    expect(generator.forward({ z: new Float32Array(20 * 131) }).length).toBe(20 * 6);
    const critic = new FusedNet(discriminatorOf(shape), initialNetWeights(discriminatorOf(shape), createRng(2)), false);
    // 20 rows of data and condition are 2 packs of 10.
    expect(critic.forward({ x: new Float32Array(20 * 9) }).length).toBe(2);
  });

  it('activates scalars with tanh and one-hots with a Gumbel-softmax that sums to 1', () => {
    const head = new FusedNet(headSpec(layout.spans), new Float32Array(0), false);
    const raw = Float32Array.from({ length: 3 * 6 }, (_, i) => Math.sin(i) * 3);
    const out = head.forward({ raw }, 7);
    for (let r = 0; r < 3; r++) {
      expect(out[r * 6]).toBeCloseTo(Math.tanh(raw[r * 6]), 5);
      expect(out[r * 6 + 1] + out[r * 6 + 2]).toBeCloseTo(1, 5);
      expect(out[r * 6 + 3] + out[r * 6 + 4] + out[r * 6 + 5]).toBeCloseTo(1, 5);
    }
  });
});

describe('CTGAN losses and their gradients', () => {
  it("gives the generator's gradient through the head and the discriminator, with the conditional term, as finite differences", () => {
    const { steps: s, initial } = steps(tiny);
    const gradient = new Float32Array(initial.generator.length);
    s.generatorGradient(8, 16, createRng(9), gradient);
    expect(gradient.some((g) => g !== 0)).toBe(true);
    checkGradient(initial.generator, gradient, (w) => {
      s.setWeights(GENERATOR, w);
      return s.generatorGradient(8, 16, createRng(9), new Float32Array(w.length));
    });
  });

  it("gives the discriminator's gradient of the WGAN loss plus lambda times the penalty as finite differences", () => {
    const { steps: s, initial } = steps(tiny);
    const gradient = new Float32Array(initial.discriminator.length);
    const { penalty } = s.discriminatorGradient(8, 16, createRng(10), gradient);
    expect(penalty).toBeGreaterThan(0);
    checkGradient(initial.discriminator, gradient, (w) => {
      s.setWeights(DISCRIMINATOR, w);
      const { loss, penalty: p } = s.discriminatorGradient(8, 16, createRng(10), new Float32Array(w.length));
      return loss + p;
    });
  });

  it('divides by the whole batch: two shards of half the rows sum to one shard of all of them in scale', () => {
    const { steps: s, initial } = steps(tiny);
    // The same rows as one slice of 8 in a batch of 8 and of 16: the share halves.
    const full = new Float32Array(initial.generator.length);
    const half = new Float32Array(initial.generator.length);
    const lossFull = s.generatorGradient(8, 8, createRng(11), full);
    const lossHalf = s.generatorGradient(8, 16, createRng(11), half);
    expect(lossHalf).toBeCloseTo(lossFull / 2, 5);
    for (let i = 0; i < full.length; i++) expect(half[i]).toBeCloseTo(full[i] / 2, 5);
  });
});
