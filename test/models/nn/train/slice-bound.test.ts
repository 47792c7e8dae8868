import { describe, expect, it } from '@jest/globals';
import { sliceBound } from '../../../../src/models/nn/train/shard.js';

const slices = (size: number, shards: number, multiple: number) =>
  Array.from(
    { length: shards },
    (_, k) => sliceBound(size, k + 1, shards, multiple) - sliceBound(size, k, shards, multiple),
  );

describe('batch slices across shards', () => {
  it('split evenly without a row multiple, as before', () => {
    expect(slices(10, 3, 1)).toEqual([3, 3, 4]);
    expect(slices(2, 4, 1)).toEqual([0, 1, 0, 1]);
  });

  it('start on multiples of the row multiple (CTGAN packs), the last shard taking any remainder', () => {
    expect(slices(100, 4, 10)).toEqual([20, 30, 20, 30]);
    expect(slices(500, 3, 10)).toEqual([160, 170, 170]);
    expect(slices(105, 2, 10)).toEqual([50, 55]);
    expect(slices(20, 4, 10)).toEqual([0, 10, 0, 10]);
  });
});
