/**
 * Exact inference by enumeration, the reference the graphical-model tests compare with: every
 * cell of the joint table is visited, its probability is exp of the sum of the potentials it
 * touches, normalised; a marginal sums the joint over the other attributes. Written from the
 * definition, sharing no code with src/models/aim.
 */
import { createRng } from '../../../src/core/rng.js';

export interface BrutePotential {
  readonly clique: readonly number[];
  readonly values: Float64Array;
}

/** Every assignment of values to attributes with these sizes, first attribute slowest. */
export function* assignments(sizes: readonly number[]): Generator<number[]> {
  const x = sizes.map(() => 0);
  for (;;) {
    yield [...x];
    let j = sizes.length - 1;
    while (j >= 0 && ++x[j] === sizes[j]) x[j--] = 0;
    if (j < 0) return;
  }
}

/** The index of `values` (one per attribute of `clique`) in a row-major table over the clique. */
export function cellOf(sizes: readonly number[], clique: readonly number[], x: readonly number[]): number {
  let index = 0;
  for (const a of clique) index = index * sizes[a] + x[a];
  return index;
}

/** The normalised joint distribution, one probability per assignment (in assignments' order). */
export function joint(sizes: readonly number[], potentials: readonly BrutePotential[]): number[] {
  const logs = [...assignments(sizes)].map((x) =>
    potentials.reduce((s, p) => s + p.values[cellOf(sizes, p.clique, x)], 0),
  );
  const max = Math.max(...logs);
  const weights = logs.map((l) => Math.exp(l - max));
  const z = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / z);
}

/** The marginal of a joint (from `joint`) over `clique`, scaled to `total`. */
export function marginalOf(
  sizes: readonly number[],
  p: readonly number[],
  clique: readonly number[],
  total = 1,
): number[] {
  const out = new Array<number>(clique.reduce((n, a) => n * sizes[a], 1)).fill(0);
  let k = 0;
  for (const x of assignments(sizes)) out[cellOf(sizes, clique, x)] += p[k++] * total;
  return out;
}

/** Random log-potentials over the cliques, seeded. */
export function randomPotentials(sizes: readonly number[], cliques: number[][], seed: number): BrutePotential[] {
  const rng = createRng(seed);
  return cliques.map((clique) => ({
    clique,
    values: Float64Array.from({ length: clique.reduce((n, a) => n * sizes[a], 1) }, () => 2 * (rng.next() - 0.5) * 2),
  }));
}
