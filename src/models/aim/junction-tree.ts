/**
 * A junction tree of a set of cliques (Koller and Friedman, ch. 10): eliminate the attributes one
 * at a time, greedily taking the one whose elimination creates the smallest table (the attribute
 * with its current neighbours), connecting its neighbours (fill-in); the elimination cliques that
 * no other contains are the maximal cliques of the triangulated graph, and a maximum-weight
 * spanning tree over them, weighted by the attributes two cliques share, has the running
 * intersection property (Jensen and Jensen 1994). Each attribute's elimination clique (itself and
 * its neighbours eliminated after it) is what sampling conditions it on: in a triangulated graph
 * those neighbours separate it from every attribute eliminated later.
 */
import { cellCount, intersection, isSubset, type Clique } from './factor.js';

export interface JunctionTree {
  /** Maximal cliques, each a sorted list of attributes. */
  readonly cliques: number[][];
  /** Each clique's parent in its tree (-1 for a root: one per connected part). */
  readonly parent: number[];
  /** Clique indices with every parent before its children. */
  readonly order: number[];
  /** The attributes each clique shares with its parent (empty for a root). */
  readonly separators: number[][];
  /** Attributes in elimination order; sampling runs it backwards. */
  readonly elimination: number[];
  /** Per attribute: itself and the neighbours eliminated after it, sorted. */
  readonly conditioning: number[][];
  /** Per attribute: a clique that holds its conditioning set. */
  readonly home: number[];
}

/** The junction tree of `cliques` over attributes 0..sizes.length-1 (attributes in no clique stand alone). */
export function junctionTree(sizes: readonly number[], cliques: readonly Clique[]): JunctionTree {
  const d = sizes.length;
  const neighbours = Array.from({ length: d }, () => new Set<number>());
  for (const clique of cliques) for (const a of clique) for (const b of clique) if (a !== b) neighbours[a].add(b);
  const eliminated = new Array<boolean>(d).fill(false);
  const elimination: number[] = [];
  const conditioning: number[][] = new Array(d);
  for (let step = 0; step < d; step++) {
    let best = -1;
    let bestCost = Infinity;
    for (let a = 0; a < d; a++) {
      if (eliminated[a]) continue;
      let cost = sizes[a];
      for (const b of neighbours[a]) cost *= sizes[b];
      if (cost < bestCost) {
        best = a;
        bestCost = cost;
      }
    }
    const around = [...neighbours[best]];
    conditioning[best] = [best, ...around].sort((x, y) => x - y);
    for (const b of around) {
      neighbours[b].delete(best);
      for (const c of around) if (b !== c) neighbours[b].add(c);
    }
    eliminated[best] = true;
    elimination.push(best);
  }
  const maximal = maximalCliques(conditioning);
  const { parent, order, separators } = spanningTree(maximal);
  const home = conditioning.map((set) => maximal.findIndex((c) => isSubset(set, c)));
  return { cliques: maximal, parent, order, separators, elimination, conditioning, home };
}

/** The distinct sets no other contains, sorted by their first attributes for a stable order. */
function maximalCliques(sets: readonly number[][]): number[][] {
  const distinct = [...new Map(sets.map((s) => [s.join(','), s])).values()];
  return distinct
    .filter((s) => !distinct.some((t) => t !== s && t.length > s.length && isSubset(s, t)))
    .sort((a, b) => compareCliques(a, b));
}

function compareCliques(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Kruskal's maximum spanning forest by shared attributes (ties by index), rooted at each part's first clique. */
function spanningTree(cliques: readonly number[][]) {
  const m = cliques.length;
  const edges: { i: number; j: number; weight: number }[] = [];
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const weight = intersection(cliques[i], cliques[j]).length;
      if (weight > 0) edges.push({ i, j, weight });
    }
  edges.sort((x, y) => y.weight - x.weight || x.i - y.i || x.j - y.j);
  const group = Array.from({ length: m }, (_, i) => i);
  const find = (x: number): number => (group[x] === x ? x : (group[x] = find(group[x])));
  const adjacent = Array.from({ length: m }, () => [] as number[]);
  for (const { i, j } of edges) {
    const [gi, gj] = [find(i), find(j)];
    if (gi === gj) continue;
    group[gi] = gj;
    adjacent[i].push(j);
    adjacent[j].push(i);
  }
  const parent = new Array<number>(m).fill(-2);
  const order: number[] = [];
  for (let root = 0; root < m; root++) {
    if (parent[root] !== -2) continue;
    parent[root] = -1;
    const queue = [root];
    while (queue.length) {
      const c = queue.shift()!;
      order.push(c);
      for (const n of adjacent[c].sort((x, y) => x - y))
        if (parent[n] === -2) {
          parent[n] = c;
          queue.push(n);
        }
    }
  }
  const separators = cliques.map((c, i) => (parent[i] < 0 ? [] : intersection(c, cliques[parent[i]])));
  return { parent, order, separators };
}

/**
 * The most cells of one junction-tree clique (1 MiB of counts), with or without DP. A round's
 * belief propagations and marginal sweeps cost about the largest clique's cells times the
 * attributes, and the cliques AIM can afford grow with the rows (exact counts thin out more
 * slowly; noise shrinks against them): at a million rows, six-way cliques of millions of cells
 * took seconds a round. This cap keeps a round's cost from growing with n.
 */
export const MAX_CLIQUE_CELLS = 2 ** 17;

/**
 * The junction tree of `cliques` if it keeps within AIM's size cap, `megabytes` at 8 bytes a cell
 * of its maximal cliques, and within MAX_CLIQUE_CELLS a clique; else null.
 */
export function boundedTree(
  sizes: readonly number[],
  cliques: readonly Clique[],
  megabytes: number,
): JunctionTree | null {
  const tree = junctionTree(sizes, cliques);
  const cells = tree.cliques.map((c) => cellCount(sizes, c));
  const total = cells.reduce((s, x) => s + x, 0);
  return total * 8 <= megabytes * 2 ** 20 && cells.every((x) => x <= MAX_CLIQUE_CELLS) ? tree : null;
}
