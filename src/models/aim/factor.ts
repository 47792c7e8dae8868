/**
 * Tables over sets of discrete attributes, the arithmetic of the graphical model: a clique is a
 * sorted list of attribute indices, its table holds one number per combination of their values
 * in row-major order (the last attribute varies fastest). Every operation between a clique and
 * one of its subsets goes through an index map (for each cell of the clique, its cell in the
 * subset), built once and cached, so that projections, broadcasts and log-sum-exps are flat
 * loops over typed arrays.
 */

export type Clique = readonly number[];

export const cliqueKey = (clique: Clique): string => clique.join(',');

/** Cells of a table over `clique`. */
export function cellCount(sizes: readonly number[], clique: Clique): number {
  let cells = 1;
  for (const a of clique) cells *= sizes[a];
  return cells;
}

export const isSubset = (sub: Clique, of: Clique): boolean => sub.every((a) => of.includes(a));

export const union = (a: Clique, b: Clique): number[] => [...new Set([...a, ...b])].sort((x, y) => x - y);

export const intersection = (a: Clique, b: Clique): number[] => a.filter((x) => b.includes(x));

/** For each cell of a table over `clique`, the index of its cell in the table over `sub` (a subset). */
export function indexMap(sizes: readonly number[], clique: Clique, sub: Clique): Int32Array {
  const cells = cellCount(sizes, clique);
  const map = new Int32Array(cells);
  if (sub.length === 0) return map;
  // The stride of each clique attribute in the subset's table (0 when not in the subset).
  const strides = clique.map((a) => {
    const at = sub.indexOf(a);
    if (at < 0) return 0;
    let stride = 1;
    for (let j = at + 1; j < sub.length; j++) stride *= sizes[sub[j]];
    return stride;
  });
  const dims = clique.map((a) => sizes[a]);
  const digits = new Int32Array(clique.length);
  let index = 0;
  for (let cell = 0; cell < cells; cell++) {
    map[cell] = index;
    // Odometer over the clique's digits, last fastest, moving the subset index with it.
    for (let j = clique.length - 1; j >= 0; j--) {
      digits[j]++;
      index += strides[j];
      if (digits[j] < dims[j]) break;
      index -= strides[j] * dims[j];
      digits[j] = 0;
    }
  }
  return map;
}

/**
 * The cached maps that send each cell to itself (a subset in the same order, less attributes of
 * one value): projecting or broadcasting through them is a plain copy or add, without the gather.
 */
const IDENTITY = new WeakSet<Int32Array>();

/**
 * Index maps by (clique, subset), built on first use. `sweep` drops the maps not asked for since
 * the last sweep: AIM's junction tree changes from round to round, and the maps of cliques it no
 * longer has (4 bytes a cell, for cliques of millions of cells) would otherwise pile up.
 */
export class MapCache {
  private readonly maps = new Map<string, Int32Array>();
  private readonly used = new Set<string>();

  constructor(readonly sizes: readonly number[]) {}

  get(clique: Clique, sub: Clique): Int32Array {
    const key = `${cliqueKey(clique)}|${cliqueKey(sub)}`;
    let map = this.maps.get(key);
    if (!map) {
      map = indexMap(this.sizes, clique, sub);
      if (map.every((j, i) => j === i)) IDENTITY.add(map);
      this.maps.set(key, map);
    }
    this.used.add(key);
    return map;
  }

  sweep(): void {
    for (const key of this.maps.keys()) if (!this.used.has(key)) this.maps.delete(key);
    this.used.clear();
  }
}

/** The table over a subset: sums of the cells that map to each of its cells. */
export function project(values: Float64Array, map: Int32Array, cells: number): Float64Array {
  if (IDENTITY.has(map)) return values.slice();
  const out = new Float64Array(cells);
  for (let i = 0; i < values.length; i++) out[map[i]] += values[i];
  return out;
}

/** Adds a table over a subset to every cell of the clique that maps to it (broadcast). */
export function addBroadcast(into: Float64Array, map: Int32Array, values: Float64Array, scale = 1): void {
  if (IDENTITY.has(map)) {
    for (let i = 0; i < into.length; i++) into[i] += scale * values[i];
    return;
  }
  for (let i = 0; i < into.length; i++) into[i] += scale * values[map[i]];
}

/**
 * log sum exp of `values` over the cells that map to each subset cell, each value first less
 * `minus[map[i]]` when given; -Infinity where every term is. `terms` (optional) receives
 * exp(value - max of its subset cell), and `sums` the sum of those per subset cell, so that a
 * caller can form the conditional exp(value - result) = terms / sums without another exp.
 */
export function logSumExp(
  values: Float64Array,
  map: Int32Array,
  cells: number,
  terms?: Float64Array,
  sums?: Float64Array,
): Float64Array {
  const max = new Float64Array(cells).fill(-Infinity);
  for (let i = 0; i < values.length; i++) if (values[i] > max[map[i]]) max[map[i]] = values[i];
  const sum = sums ?? new Float64Array(cells);
  sum.fill(0);
  for (let i = 0; i < values.length; i++) {
    const m = max[map[i]];
    const term = m === -Infinity ? 0 : Math.exp(values[i] - m);
    if (terms) terms[i] = term;
    sum[map[i]] += term;
  }
  const out = new Float64Array(cells);
  for (let j = 0; j < cells; j++) out[j] = max[j] === -Infinity ? -Infinity : max[j] + Math.log(sum[j]);
  return out;
}

/** Counts of the rows in each cell of the table over `clique`, from per-column codes in 0..size-1. */
export function countRows(sizes: readonly number[], codes: readonly Int32Array[], clique: Clique): Float64Array {
  const out = new Float64Array(cellCount(sizes, clique));
  const rows = codes.length ? codes[0].length : 0;
  const strides = clique.map((_, j) => cellCount(sizes, clique.slice(j + 1)));
  for (let r = 0; r < rows; r++) {
    let index = 0;
    for (let j = 0; j < clique.length; j++) index += codes[clique[j]][r] * strides[j];
    out[index]++;
  }
  return out;
}
