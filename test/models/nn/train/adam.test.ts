import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../../src/core/rng.js';
import { KernelAdam, type AdamOptions } from '../../../../src/models/nn/train/adam.js';
import { FlatAdamW, updateAverage } from '../../../helpers/reference-adam.js';

/** The engine's Adam, driven like the reference: weights in, one step per gradient. */
class Stepper {
  readonly adam: KernelAdam;
  constructor(
    readonly weights: Float32Array,
    options: AdamOptions,
    rate?: number,
  ) {
    this.adam = new KernelAdam(weights, options, rate);
  }
  apply(gradient: Float32Array, lr: number): void {
    this.adam.gradient.set(gradient);
    this.adam.apply(lr);
    this.weights.set(this.adam.weights);
  }
}

describe("the engine's Adam (SIMD kernels)", () => {
  it('takes the published first step: p - lr*wd*p - lr * g / (|g| + eps)', () => {
    const weights = Float32Array.from([1, -2, 0.5]);
    const adam = new Stepper(weights, { weightDecay: 0.01 });
    adam.apply(Float32Array.from([0.3, -4, 0]), 0.1);
    expect(weights[0]).toBeCloseTo(1 - 0.1 * 0.01 * 1 - 0.1, 5);
    expect(weights[1]).toBeCloseTo(-2 + 0.1 * 0.01 * 2 + 0.1, 5);
    expect(weights[2]).toBeCloseTo(0.5 * (1 - 0.001), 5);
  });

  it('matches a hand-computed second step with bias correction', () => {
    const weights = Float32Array.from([0]);
    const adam = new Stepper(weights, { weightDecay: 0 });
    adam.apply(Float32Array.from([1]), 0.01);
    adam.apply(Float32Array.from([3]), 0.01);
    const m = (0.9 * 0.1 + 0.1 * 3) / (1 - 0.81);
    const v = (0.999 * 0.001 + 0.001 * 9) / (1 - 0.999 ** 2);
    expect(weights[0]).toBeCloseTo(-0.01 - (0.01 * m) / (Math.sqrt(v) + 1e-8), 5);
  });
});

describe("the engine's Adam with l2 decay (torch.optim.Adam weight_decay)", () => {
  it('adds wd * p to the gradient instead of shrinking the weights', () => {
    // g' = g + wd * p = 0.5 + 0.25 * 2 = 1; a first Adam step moves by lr * g' / (|g'| + eps).
    const weights = Float32Array.from([2, -1]);
    const adam = new Stepper(weights, { weightDecay: 0.25, decay: 'l2', beta1: 0.5, beta2: 0.9 });
    adam.apply(Float32Array.from([0.5, 0.25]), 0.01);
    expect(weights[0]).toBeCloseTo(2 - 0.01, 5);
    // g' = 0.25 - 0.25 = 0: no move, and no decoupled shrink (which would give -1 + 0.0025) either.
    expect(weights[1]).toBeCloseTo(-1, 5);
  });

  it('takes a second step from its moments with the given betas', () => {
    const weights = Float32Array.from([1]);
    const adam = new Stepper(weights, { weightDecay: 0.5, decay: 'l2', beta1: 0.5, beta2: 0.9 });
    adam.apply(Float32Array.from([0]), 0.1);
    const p1 = weights[0];
    const g1 = 0.5 * 1;
    adam.apply(Float32Array.from([0]), 0.1);
    const g2 = 0.5 * p1;
    const m = (0.5 * 0.5 * g1 + 0.5 * g2) / (1 - 0.25);
    const v = (0.9 * 0.1 * g1 * g1 + 0.1 * g2 * g2) / (1 - 0.81);
    expect(weights[0]).toBeCloseTo(p1 - (0.1 * m) / (Math.sqrt(v) + 1e-8), 5);
  });
});

describe("the engine's Adam against the plain-JS reference", () => {
  for (const decay of ['decoupled', 'l2'] as const) {
    it(`follows the reference over 50 random steps (${decay}), weight average included`, () => {
      const rng = createRng(5);
      const n = 37; // not a multiple of 4: the padding must not leak in
      const initial = Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
      const options = { weightDecay: 0.01, decay, beta1: 0.8, beta2: 0.95 };
      const engine = new KernelAdam(initial, options, 0.9);
      const reference = new FlatAdamW(initial.slice(), options);
      const average = initial.slice();
      for (let step = 0; step < 50; step++) {
        const gradient = Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 3);
        engine.gradient.set(gradient);
        engine.apply(0.01);
        reference.apply(gradient, 0.01);
        updateAverage(average, reference.weights, 0.9);
      }
      for (let i = 0; i < n; i++) {
        expect(engine.weights[i]).toBeCloseTo(reference.weights[i], 5);
        expect(engine.average![i]).toBeCloseTo(average[i], 5);
      }
    });
  }
});

describe('updateAverage', () => {
  it('moves the average a (1 - rate) share towards the weights', () => {
    const average = Float32Array.from([0, 10]);
    updateAverage(average, Float32Array.from([1, 0]), 0.9);
    expect(average[0]).toBeCloseTo(0.1, 5);
    expect(average[1]).toBeCloseTo(9, 5);
  });
});
