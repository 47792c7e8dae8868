import { describe, expect, it } from '@jest/globals';
import { GroupState } from '../../../../src/models/nn/train/group-state.js';

describe('a parameter group with a clamp', () => {
  it('clamps only the named weights, after the step, to [min, max]', () => {
    const group = new GroupState(
      {
        name: 'g',
        initial: Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5]),
        optimizer: { lr: 1, lrSchedule: 'constant', weightDecay: 0, decay: 'l2' },
        clamp: { start: 1, end: 4, min: 0.01, max: 1 },
      },
      false,
    );
    // Adam's first step moves each weight by lr against the gradient's sign: to 1.5 or -0.5.
    group.summed.set([-1, -1, 1, 1e-3, 1]);
    group.update(0, 10);
    const [free, high, low, small, outside] = group.weights;
    expect(free).toBeCloseTo(1.5, 4);
    expect([high, low, small]).toEqual([1, Math.fround(0.01), Math.fround(0.01)]);
    expect(outside).toBeCloseTo(-0.5, 4);
  });

  it('leaves the weights as the optimizer left them without one', () => {
    const group = new GroupState(
      {
        name: 'g',
        initial: Float32Array.from([0.5, 0.5]),
        optimizer: { lr: 1, lrSchedule: 'constant', weightDecay: 0, decay: 'l2' },
      },
      false,
    );
    group.summed.set([-1, 1]);
    group.update(0, 10);
    expect(group.weights[0]).toBeCloseTo(1.5, 4);
    expect(group.weights[1]).toBeCloseTo(-0.5, 4);
  });
});
