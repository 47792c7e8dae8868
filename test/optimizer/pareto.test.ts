import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { paretoFront, preferredPoint, type ObjectivePoint } from '../../src/optimizer/pareto.js';

/** The front by its definition, pair by pair, written independently of the module's vector form. */
function bruteForceFront(points: readonly ObjectivePoint[]): boolean[] {
  const better = (a: ObjectivePoint, b: ObjectivePoint) => {
    const u = (x: number | null) => x ?? -Infinity;
    const c = (x: number | null) => x ?? Infinity;
    const asGood = u(a.utility) >= u(b.utility) && c(a.privacy) <= c(b.privacy) && c(a.time) <= c(b.time);
    const strictly = u(a.utility) > u(b.utility) || c(a.privacy) < c(b.privacy) || c(a.time) < c(b.time);
    return asGood && strictly;
  };
  return points.map((p) => points.every((q) => q === p || !better(q, p)));
}

describe('paretoFront', () => {
  it('keeps the attempts no other beats on utility, privacy and time', () => {
    const front = paretoFront([
      { utility: 80, privacy: 1, time: 30 }, // most private
      { utility: 90, privacy: 2, time: 30 }, // better quality at more epsilon
      { utility: 85, privacy: 2, time: 40 }, // beaten by the one above
      { utility: 70, privacy: 5, time: 5 }, // the fastest
      { utility: 70, privacy: 5, time: 6 }, // beaten by the one above
    ]);
    expect(front).toEqual([true, true, false, true, false]);
  });

  it('keeps equal points both (neither strictly beats the other)', () => {
    const p = { utility: 80, privacy: 1, time: 10 };
    expect(paretoFront([p, { ...p }])).toEqual([true, true]);
  });

  it('treats what was not measured as worst', () => {
    expect(
      paretoFront([
        { utility: null, privacy: 1, time: 10 },
        { utility: 50, privacy: 1, time: 10 },
      ]),
    ).toEqual([false, true]);
  });

  it('equals a brute-force front on recorded points, ties and nulls included', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rng.int(12);
      const value = (levels: number) => (rng.next() < 0.1 ? null : rng.int(levels));
      const points = Array.from({ length: n }, () => ({ utility: value(6), privacy: value(4), time: value(5) }));
      expect(paretoFront(points)).toEqual(bruteForceFront(points));
    }
  });
});

describe('preferredPoint', () => {
  const points: ObjectivePoint[] = [
    { utility: 90, privacy: 0.6, time: 100 },
    { utility: 80, privacy: 0.5, time: 20 },
    { utility: 70, privacy: 0.52, time: 10 },
  ];

  it('picks the best on the one objective preferred', () => {
    expect(preferredPoint(points, [0, 1, 2], { utility: 1 })).toBe(0);
    expect(preferredPoint(points, [0, 1, 2], { privacy: 1 })).toBe(1);
    expect(preferredPoint(points, [0, 1, 2], { time: 1 })).toBe(2);
  });

  it('weighs objectives scaled over the candidates', () => {
    // Scaled: utility 1, 0.5, 0; time 0, 0.889, 1. utility=1,time=1: 1, 1.389, 1.
    expect(preferredPoint(points, [0, 1, 2], { utility: 1, time: 1 })).toBe(1);
    expect(preferredPoint(points, [0, 2], { utility: 1 })).toBe(0);
  });
});
