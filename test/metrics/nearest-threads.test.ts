import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { mixedRows } from '../helpers/exact-rows.js';

// Worker threads run compiled JavaScript, so this test drives the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../dist/src/${path}`, import.meta.url));

describe('nearestBothWays with worker threads', () => {
  it('finds neighbours at the same distances on two threads as on one', async () => {
    const { useBackend } = await import(dist('core/backend.js'));
    const { nearestBothWays } = await import(dist('metrics/neighbours/nearest.js'));
    const { searchProblem } = await import(dist('metrics/neighbours/search-problem.js'));
    const { exactSquaredDistance } = await import(dist('metrics/neighbours/distance-space.js'));
    const backend = await useBackend('auto');
    const queries = mixedRows(700, 1);
    const refs = mixedRows(900, 2);
    const problem = searchProblem(queries, refs, [0, 600, 900]);
    const one = await nearestBothWays(problem, { backend: backend.name, threads: 1 });
    const two = await nearestBothWays(problem, { backend: backend.name, threads: 2 });
    // Ties may break differently (block boundaries differ), so compare the distances reached.
    const rowDistances = (r: { rowNearest: Int32Array[] }) =>
      r.rowNearest.map((nearest, s) =>
        Array.from(nearest, (j, i) => exactSquaredDistance(queries, i, refs, j + [0, 600][s])),
      );
    const colDistances = (r: { colNearest: Int32Array }) =>
      Array.from(r.colNearest, (i, j) => exactSquaredDistance(queries, i, refs, j));
    expect(rowDistances(two)).toEqual(rowDistances(one));
    expect(colDistances(two)).toEqual(colDistances(one));
  });
});
