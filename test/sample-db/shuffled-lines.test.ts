import { describe, expect, it } from '@jest/globals';
import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { ShuffledLines } from '../../src/sample-db/shuffled-lines.js';

/** Chi-square of the permutations of 0..3 seen in `draws` shuffles, against the uniform law (23 degrees of freedom). */
async function permutationChiSquare(memoryBytes: number, draws: number, buckets?: number): Promise<number> {
  const counts = new Map<string, number>();
  for (let d = 0; d < draws; d++) {
    const lines = new ShuffledLines(memoryBytes, buckets);
    for (const line of ['a\n', 'b\n', 'c\n', '"d\nd"\n']) await lines.add(line);
    const out: string[] = [];
    await lines.drain((line) => out.push(line));
    expect(out.slice().sort()).toEqual(['"d\nd"\n', 'a\n', 'b\n', 'c\n']);
    const key = out.join('|');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect(counts.size).toBe(24);
  const expected = draws / 24;
  return [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('ShuffledLines', () => {
  // chi-square(23) exceeds 60 with probability about 3e-5.
  it('releases lines in a uniformly random order, held in memory', async () => {
    expect(await permutationChiSquare(1 << 20, 4800)).toBeLessThan(60);
  });

  it('releases lines in a uniformly random order when spilled to bucket files, and removes them', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('gesalp-shuffle-'));
    expect(await permutationChiSquare(1, 720, 3)).toBeLessThan(60);
    // Every bucket folder made here was removed once drained.
    const after = readdirSync(tmpdir()).filter((f) => f.startsWith('gesalp-shuffle-'));
    expect(after.filter((f) => !before.includes(f))).toEqual([]);
  });
});
