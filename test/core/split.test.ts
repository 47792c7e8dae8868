import { describe, expect, it } from '@jest/globals';
import { splitRows } from '../../src/core/split.js';

describe('splitRows', () => {
  it('is a seeded partition: disjoint, complete, the asked size, the same for the same seed', () => {
    const a = splitRows(1000, { seed: 4, fraction: 0.2 });
    expect(a.holdout).toHaveLength(200);
    expect(a.train).toHaveLength(800);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(1000);
    expect(splitRows(1000, { seed: 4, fraction: 0.2 })).toEqual(a);
    expect(splitRows(1000, { seed: 5, fraction: 0.2 }).holdout).not.toEqual(a.holdout);
  });

  it('keeps every row for training with fraction 0', () => {
    expect(splitRows(10, { seed: 0, fraction: 0 }).train).toHaveLength(10);
  });
});
