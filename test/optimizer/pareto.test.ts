import { describe, expect, it } from '@jest/globals';
import type { Standing } from '../../src/metrics/checks.js';
import { paretoFront } from '../../src/optimizer/pareto.js';

const green = (score: number): Standing => ({ allGreen: true, failing: 0, excess: 0, score });
const failing = (count: number, excess: number): Standing => ({ allGreen: false, failing: count, excess, score: 9 });

describe('paretoFront', () => {
  it('keeps the attempts no other beats on both epsilon and verdict', () => {
    const front = paretoFront([
      { epsilon: 1, standing: failing(2, 0.3) }, // most private: on the front
      { epsilon: 2, standing: failing(1, 0.1) }, // better verdict at more epsilon: on the front
      { epsilon: 2, standing: failing(2, 0.5) }, // beaten by the one above and the first
      { epsilon: 5, standing: green(3) }, // the only green one: on the front
      { epsilon: 5, standing: green(3.5) }, // same epsilon, worse score
    ]);
    expect(front).toEqual([true, true, false, true, false]);
  });

  it('keeps equal points both (neither strictly beats the other)', () => {
    expect(
      paretoFront([
        { epsilon: 1, standing: green(2) },
        { epsilon: 1, standing: green(2) },
      ]),
    ).toEqual([true, true]);
  });
});
