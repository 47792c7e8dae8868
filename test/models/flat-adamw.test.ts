import { describe, expect, it } from '@jest/globals';
import { FlatAdamW, updateAverage } from '../../src/models/nn/flat-adamw.js';

describe('FlatAdamW', () => {
  it('takes the published first step: p - lr*wd*p - lr * g / (|g| + eps)', () => {
    const weights = Float32Array.from([1, -2, 0.5]);
    const adam = new FlatAdamW(weights, { weightDecay: 0.01 });
    adam.apply(Float32Array.from([0.3, -4, 0]), 0.1);
    expect(weights[0]).toBeCloseTo(1 - 0.1 * 0.01 * 1 - 0.1, 6);
    expect(weights[1]).toBeCloseTo(-2 + 0.1 * 0.01 * 2 + 0.1, 6);
    expect(weights[2]).toBeCloseTo(0.5 * (1 - 0.001), 6);
  });

  it('matches a hand-computed second step with bias correction', () => {
    const weights = Float32Array.from([0]);
    const adam = new FlatAdamW(weights, { weightDecay: 0 });
    adam.apply(Float32Array.from([1]), 0.01);
    adam.apply(Float32Array.from([3]), 0.01);
    const m = (0.9 * 0.1 + 0.1 * 3) / (1 - 0.81);
    const v = (0.999 * 0.001 + 0.001 * 9) / (1 - 0.999 ** 2);
    expect(weights[0]).toBeCloseTo(-0.01 - (0.01 * m) / (Math.sqrt(v) + 1e-8), 6);
  });
});

describe('updateAverage', () => {
  it('moves the average a (1 - rate) share towards the weights', () => {
    const average = Float32Array.from([0, 10]);
    updateAverage(average, Float32Array.from([1, 0]), 0.9);
    expect(average[0]).toBeCloseTo(0.1, 6);
    expect(average[1]).toBeCloseTo(9, 6);
  });
});
