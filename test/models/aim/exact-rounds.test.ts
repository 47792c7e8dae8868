import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { runExact } from '../../../src/models/aim/exact-rounds.js';
import { cellCount } from '../../../src/models/aim/factor.js';
import { junctionTree, MAX_CLIQUE_CELLS } from '../../../src/models/aim/junction-tree.js';
import { codeCounts, type MarginalCounts } from '../../../src/models/aim/marginal-counts.js';
import { workload } from '../../../src/models/aim/workload.js';

/**
 * a and b independent, c a copy of one of them: the tree over (a, c) and (b, c) makes a and b
 * dependent through c, so only the triangle {a, b, c} fits the pair (a, b). The counts stand for
 * `scale` times the rows drawn, so that the rows-per-cell rule admits any clique.
 */
function triangleCounts(size: number, scale: number): MarginalCounts {
  const rng = createRng(7);
  const rows = 60_000;
  const codes = [new Int32Array(rows), new Int32Array(rows), new Int32Array(rows)];
  for (let r = 0; r < rows; r++) {
    codes[0][r] = rng.int(size);
    codes[1][r] = rng.int(size);
    codes[2][r] = rng.next() < 0.5 ? codes[0][r] : codes[1][r];
  }
  const counts = codeCounts([size, size, size], codes);
  return { rows: rows * scale, count: (clique) => counts.count(clique).map((x) => x * scale) };
}

async function fitted(size: number) {
  const sizes = [size, size, size];
  const run = await runExact({
    sizes,
    counts: triangleCounts(size, 1000),
    candidates: workload(sizes, 2).candidates,
    rounds: 10,
    maxModelMb: 80,
  });
  return junctionTree(sizes, [...sizes.map((_, a) => [a]), ...run.selected]).cliques.map((c) => cellCount(sizes, c));
}

describe('exact rounds (AIM without DP)', () => {
  it('fit the triangle where it is small', async () => {
    expect(32 ** 3).toBeLessThanOrEqual(MAX_CLIQUE_CELLS);
    expect(await fitted(32)).toContain(32 ** 3);
  });

  it('never fit a clique past MAX_CLIQUE_CELLS, however many rows stand behind it', async () => {
    expect(64 ** 3).toBeGreaterThan(MAX_CLIQUE_CELLS);
    const cells = await fitted(64);
    expect(Math.max(...cells)).toBeLessThanOrEqual(MAX_CLIQUE_CELLS);
    expect(cells).toContain(64 * 64);
  });
});
