import { describe, expect, it } from '@jest/globals';
import { GraphicalModel } from '../../../src/models/aim/graphical-model.js';
import { boundedTree, junctionTree, MAX_CLIQUE_CELLS } from '../../../src/models/aim/junction-tree.js';
import { joint, marginalOf, randomPotentials } from './brute-force.js';

const SIZES = [2, 3, 2, 3, 2, 2];
/** A loop 0-1-2-3-4-0 with a chord 1-3, and attribute 5 on its own: triangulation must add fill-in. */
const LOOPY = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [0, 4],
  [1, 3],
];

const close = (actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-9) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e)).toBeLessThan(tolerance));
};

describe('junction tree', () => {
  it('triangulates a loop into maximal cliques with the running intersection property', () => {
    const tree = junctionTree(SIZES, LOOPY);
    // Every clique given is inside some maximal clique, and every attribute is covered.
    for (const c of LOOPY) expect(tree.cliques.some((m) => c.every((a) => m.includes(a)))).toBe(true);
    for (let a = 0; a < SIZES.length; a++) expect(tree.cliques.some((m) => m.includes(a))).toBe(true);
    // Running intersection: the cliques holding an attribute form a connected subtree.
    for (let a = 0; a < SIZES.length; a++) {
      const holding = tree.cliques.flatMap((m, i) => (m.includes(a) ? [i] : []));
      const roots = holding.filter((i) => !holding.includes(tree.parent[i]));
      expect(roots).toHaveLength(1);
    }
    // Each attribute's conditioning set lies in its home clique.
    tree.conditioning.forEach((set, a) => {
      expect(set).toContain(a);
      expect(set.every((x) => tree.cliques[tree.home[a]].includes(x))).toBe(true);
    });
  });
});

describe('the size caps', () => {
  const triangle = [
    [0, 1],
    [1, 2],
    [0, 2],
  ];
  it('refuse a clique past MAX_CLIQUE_CELLS though the model fits its megabytes', () => {
    expect(64 ** 3).toBeGreaterThan(MAX_CLIQUE_CELLS);
    expect(boundedTree([64, 64, 64], triangle, 80)).toBeNull();
    expect(boundedTree([64, 64, 64], triangle.slice(0, 2), 80)?.cliques).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(boundedTree([32, 32, 32], triangle, 80)?.cliques).toEqual([[0, 1, 2]]);
  });

  it('refuse a model past its megabytes at 8 bytes a cell of its maximal cliques', () => {
    const megabytes = (32 ** 3 * 8) / 2 ** 20;
    expect(boundedTree([32, 32, 32], triangle, megabytes)).not.toBeNull();
    expect(boundedTree([32, 32, 32], triangle, megabytes * 0.99)).toBeNull();
  });
});

describe('belief propagation and marginals', () => {
  it.each([1, 2, 3])('match exact inference by enumeration on a loopy model (seed %i)', (seed) => {
    const potentials = randomPotentials(SIZES, [...LOOPY, [5], [2, 4]], seed);
    const model = new GraphicalModel(SIZES, potentials, 1000);
    const p = joint(SIZES, potentials);
    const { marginals } = model.marginals();
    model.tree.cliques.forEach((clique, c) => close(marginals[c], marginalOf(SIZES, p, clique, 1000), 1e-8));
    // Any set of attributes: inside a clique, a pair across cliques, across the forest's parts, a triple.
    for (const query of [[0], [0, 2], [0, 3], [2, 5], [0, 5], [1, 4], [0, 2, 4], [0, 3, 5], [1, 2, 3, 4]])
      close(model.marginal(query), marginalOf(SIZES, p, query, 1000), 1e-8);
  });

  it('gives cells with -Infinity potential probability 0, and refuses evidence that excludes every row', () => {
    const potentials = randomPotentials(SIZES, LOOPY, 7);
    const model = new GraphicalModel(SIZES, potentials, 1);
    const evidence = { clique: [1], values: Float64Array.from([-Infinity, 0, -Infinity]) };
    const conditioned = model.conditioned([evidence]);
    const p = joint(SIZES, [...potentials, evidence]);
    model.tree.cliques.forEach((clique, c) => close(conditioned.marginals[c], marginalOf(SIZES, p, clique), 1e-9));
    const impossible = { clique: [1], values: Float64Array.from([-Infinity, -Infinity, -Infinity]) };
    expect(() => model.conditioned([impossible])).toThrow(/no possible row/);
  });
});
