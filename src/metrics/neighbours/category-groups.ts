/**
 * Categorical mismatches without one-hot products. The categorical columns are packed into
 * groups whose level counts multiply to at most MAX_GROUP_SIZE; each reference row gets one
 * signature per group (its levels as mixed-radix digits), and each query one small table per
 * group holding, for every signature, how many of the group's columns differ from the query.
 * A query's categorical distance to every reference is then one table lookup per group:
 * exact integers, and far fewer operations than a one-hot matrix product (adult's 9 columns
 * were 99 one-hot dimensions; flights' 2 airports about 500).
 */
import type { ExactRows } from './distance-space.js';

/** Tables of up to 64 KB stay in L2; fewer, larger groups mean fewer lookups per distance (each costs about 3 ns in V8 here). */
export const MAX_GROUP_SIZE = 16384;

export interface CategoryGroups {
  /** Per group: the columns (indices into the rows' categorical codes) and their level counts. */
  readonly groups: { columns: number[]; levels: number[]; strides: number[]; size: number }[];
  /** Per group, each reference's signature. */
  readonly refSignatures: Int32Array[];
  /** Per query row and categorical column, the reference level index of its code, or -1 when no reference has it. */
  readonly queryLevels: Int32Array;
  readonly categories: number;
}

export function buildCategoryGroups(q: ExactRows, r: ExactRows): CategoryGroups {
  const c = r.categories;
  const levelMaps = Array.from({ length: c }, (_, k) => {
    const map = new Map<number, number>();
    for (let j = 0; j < r.n; j++) {
      const code = r.codes[j * c + k];
      if (!map.has(code)) map.set(code, map.size);
    }
    return map;
  });
  const order = Array.from({ length: c }, (_, k) => k).sort((a, b) => levelMaps[a].size - levelMaps[b].size);
  const groups: CategoryGroups['groups'] = [];
  for (const k of order) {
    const size = levelMaps[k].size;
    const last = groups[groups.length - 1];
    if (last && last.size * size <= MAX_GROUP_SIZE) {
      last.columns.push(k);
      last.levels.push(size);
      last.strides.push(last.size);
      last.size *= size;
    } else {
      groups.push({ columns: [k], levels: [size], strides: [1], size });
    }
  }
  const refSignatures = groups.map((g) =>
    Int32Array.from({ length: r.n }, (_, j) =>
      g.columns.reduce((s, k, m) => s + levelMaps[k].get(r.codes[j * c + k])! * g.strides[m], 0),
    ),
  );
  const queryLevels = new Int32Array(q.n * c);
  for (let i = 0; i < q.n; i++)
    for (let k = 0; k < c; k++) queryLevels[i * c + k] = levelMaps[k].get(q.codes[i * c + k]) ?? -1;
  return { groups, refSignatures, queryLevels, categories: c };
}

/** Fills `table` (length group.size) with the number of the group's columns in which each signature differs from query i. */
export function fillMismatchTable(groups: CategoryGroups, g: number, i: number, table: Float32Array): void {
  const group = groups.groups[g];
  table.fill(group.columns.length, 0, group.size);
  group.columns.forEach((k, m) => {
    const level = groups.queryLevels[i * groups.categories + k];
    if (level < 0) return;
    // Signatures whose digit m equals the query's level: blocks of `stride` every `stride * levels`.
    const stride = group.strides[m];
    const period = stride * group.levels[m];
    for (let base = level * stride; base < group.size; base += period) {
      for (let s = base; s < base + stride; s++) table[s] -= 1;
    }
  });
}

/** Whether queries i and j have the same levels in every column of group g (so share a mismatch table). */
export function sameGroupLevels(groups: CategoryGroups, g: number, i: number, j: number): boolean {
  const c = groups.categories;
  return groups.groups[g].columns.every((k) => groups.queryLevels[i * c + k] === groups.queryLevels[j * c + k]);
}
