/**
 * Float32 rows for the matrix product. With q' = [x, |q|^2, 1] and r' = [-2x, 1, |r|^2],
 * q'.r' = |q|^2 + |r|^2 - 2 q.r, the squared distance, so one plain matMul (wasm's fast path)
 * yields a block of distances. Categorical columns count C/2 in each norm and enter as one-hot
 * over the levels both sides use (others can never match), +1 for queries and -1 for
 * references, so each match subtracts exactly 1 and mismatches add 1 in all.
 */
import type { ExactRows } from './distance-space.js';

export interface EncodedPair {
  readonly dim: number;
  /** Queries, row-major [nq, dim]. */
  readonly queries: Float32Array;
  /** References, transposed: column-major [dim, nr]. */
  readonly refsT: Float32Array;
}

export function encodePair(q: ExactRows, r: ExactRows): EncodedPair {
  const slots = sharedLevelSlots(q, r);
  const oneHot = slots.reduce((sum, m) => sum + m.size, 0);
  const dim = q.width + oneHot + 2;
  const queries = new Float32Array(q.n * dim);
  const refsT = new Float32Array(dim * r.n);
  const categoryNorm = q.categories / 2;
  for (let i = 0; i < q.n; i++) {
    const row = i * dim;
    let norm = categoryNorm;
    for (let k = 0; k < q.width; k++) {
      const v = q.numbers[i * q.width + k];
      queries[row + k] = v;
      norm += v * v;
    }
    forEachSlot(q, i, slots, (slot) => (queries[row + q.width + slot] = 1));
    queries[row + dim - 2] = norm;
    queries[row + dim - 1] = 1;
  }
  const nr = r.n;
  for (let j = 0; j < nr; j++) {
    let norm = categoryNorm;
    for (let k = 0; k < r.width; k++) {
      const v = r.numbers[j * r.width + k];
      refsT[k * nr + j] = -2 * v;
      norm += v * v;
    }
    forEachSlot(r, j, slots, (slot) => (refsT[(r.width + slot) * nr + j] = -1));
    refsT[(dim - 2) * nr + j] = 1;
    refsT[(dim - 1) * nr + j] = norm;
  }
  return { dim, queries, refsT };
}

/** For each categorical column, the codes used on both sides mapped to consecutive one-hot slots. */
function sharedLevelSlots(q: ExactRows, r: ExactRows): Map<number, number>[] {
  const c = q.categories;
  let next = 0;
  const slots: Map<number, number>[] = [];
  for (let k = 0; k < c; k++) {
    const inQ = new Set<number>();
    for (let i = 0; i < q.n; i++) inQ.add(q.codes[i * c + k]);
    const shared = new Map<number, number>();
    for (let j = 0; j < r.n; j++) {
      const code = r.codes[j * c + k];
      if (inQ.has(code) && !shared.has(code)) shared.set(code, next++);
    }
    slots.push(shared);
  }
  return slots;
}

function forEachSlot(rows: ExactRows, i: number, slots: Map<number, number>[], set: (slot: number) => void): void {
  const c = rows.categories;
  for (let k = 0; k < c; k++) {
    const slot = slots[k].get(rows.codes[i * c + k]);
    if (slot !== undefined) set(slot);
  }
}
