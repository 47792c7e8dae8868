/**
 * Marginals of a calibrated model over any set of attributes, which AIM's selection needs for
 * every candidate marginal each round. A set inside a junction-tree clique is a projection. A pair
 * (a, b) across cliques comes from a sweep out of a clique holding a: each clique passes on
 * P(a, separator) times its own conditional P(next separator | separator), whose projections are
 * shared by the sweeps of every attribute, so a sweep costs |a| times the separators' cells
 * rather than the cliques'. Larger sets fall back to variable elimination over the smallest
 * subtree that holds them, with the tree's marginals divided by its separators' as factors.
 */
import { cellCount, isSubset, project, union, type Clique, type MapCache } from './factor.js';
import type { JunctionTree } from './junction-tree.js';

export class MarginalOracle {
  private readonly neighbours: number[][];
  private readonly projections = new Map<string, Float64Array>();
  private readonly pairs = new Map<string, Float64Array>();
  private readonly swept = new Set<number>();

  constructor(
    private readonly tree: JunctionTree,
    private readonly maps: MapCache,
    /** Per tree clique, its calibrated marginal. */
    private readonly marginals: readonly Float64Array[],
  ) {
    this.neighbours = tree.cliques.map(() => []);
    tree.parent.forEach((p, c) => {
      if (p >= 0) {
        this.neighbours[c].push(p);
        this.neighbours[p].push(c);
      }
    });
    // Parents come before children in `order`, so each clique takes its root's part.
    this.component = new Array<number>(tree.cliques.length);
    for (const c of tree.order) this.component[c] = tree.parent[c] < 0 ? c : this.component[tree.parent[c]];
  }

  /** Per tree clique, the root of its part of the forest. */
  private readonly component: number[];

  /** The marginal over `query` (sorted attributes), in the row-major layout of that order. */
  marginal(query: Clique): Float64Array {
    const inside = this.tree.cliques.findIndex((c) => isSubset(query, c));
    if (inside >= 0) return this.projection(inside, query);
    // Attributes in separate parts of the forest are independent: the product of each part's marginal.
    const parts = new Map<number, number[]>();
    for (const q of query) {
      const part = this.component[this.tree.cliques.findIndex((c) => c.includes(q))];
      parts.set(part, [...(parts.get(part) ?? []), q]);
    }
    if (parts.size > 1) {
      const tables: Table[] = [...parts.values()].map((attrs) => ({ attrs, values: this.marginal(attrs) }));
      const product = tables.reduce((x, y) => multiply(this.maps.sizes, this.maps, x, y));
      return project(product.values, this.maps.get(product.attrs, query), cellCount(this.maps.sizes, query));
    }
    if (query.length === 2) {
      const key = query.join(',');
      if (!this.pairs.has(key)) this.sweep(query[0]);
      const pair = this.pairs.get(key);
      if (pair) return pair;
    }
    return this.eliminate(query);
  }

  /** The clique's marginal projected onto `attrs` (in that order), cached. */
  private projection(c: number, attrs: Clique): Float64Array {
    const key = `${c}|${attrs.join(',')}`;
    let out = this.projections.get(key);
    if (!out) {
      const sizes = this.maps.sizes;
      out = project(this.marginals[c], this.maps.get(this.tree.cliques[c], attrs), cellCount(sizes, attrs));
      this.projections.set(key, out);
    }
    return out;
  }

  /** P(a, b) for every b, by carrying P(a, separator) through the tree from a clique holding a. */
  private sweep(a: number): void {
    this.swept.add(a);
    const start = this.tree.cliques.findIndex((c) => c.includes(a));
    const sizes = this.maps.sizes;
    const stack: { c: number; from: number; carried: Float64Array | null; separator: number[] }[] = [
      { c: start, from: -1, carried: null, separator: [] },
    ];
    while (stack.length) {
      const { c, from, carried, separator } = stack.pop()!;
      const clique = this.tree.cliques[c];
      for (const b of clique) {
        if (b === a) continue;
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        if (this.pairs.has(key)) continue;
        const ab = carried ? this.carry(c, carried, separator, [b]) : this.projection(c, [a, b]);
        this.pairs.set(key, a < b ? ab : transpose(ab, sizes[a], sizes[b]));
      }
      for (const n of this.neighbours[c]) {
        if (n === from) continue;
        const next = clique.filter((x) => this.tree.cliques[n].includes(x));
        if (!carried && this.tree.cliques[n].includes(a)) {
          stack.push({ c: n, from: c, carried: null, separator: next });
          continue;
        }
        const out = carried ? this.carry(c, carried, separator, next) : this.projection(c, [a, ...next]);
        stack.push({ c: n, from: c, carried: out, separator: next });
      }
    }
  }

  /** P(a, target) = sum over the separator s of P(a, s) P(target | s), from clique c's marginal. */
  private carry(c: number, carried: Float64Array, separator: number[], target: number[]): Float64Array {
    const sizes = this.maps.sizes;
    const joint = union(separator, target);
    const both = this.projection(c, joint);
    const given = this.projection(c, separator);
    const toSeparator = this.maps.get(joint, separator);
    const toTarget = this.maps.get(joint, target);
    const sCells = given.length;
    const tCells = cellCount(sizes, target);
    const aCells = carried.length / sCells;
    const out = new Float64Array(aCells * tCells);
    for (let u = 0; u < both.length; u++) {
      const s = toSeparator[u];
      if (!(given[s] > 0)) continue;
      const w = both[u] / given[s];
      const t = toTarget[u];
      for (let i = 0; i < aCells; i++) out[i * tCells + t] += carried[i * sCells + s] * w;
    }
    return out;
  }

  /** Variable elimination over the subtree that connects cliques holding the query's attributes. */
  private eliminate(query: Clique): Float64Array {
    const terminals = new Set(query.map((q) => this.tree.cliques.findIndex((c) => c.includes(q))));
    const root = [...terminals][0];
    const sizes = this.maps.sizes;
    const collect = (c: number, from: number): Table | null => {
      let table: Table = { attrs: this.tree.cliques[c], values: this.marginals[c] };
      let needed = terminals.has(c);
      for (const n of this.neighbours[c]) {
        if (n === from) continue;
        const message = collect(n, c);
        if (message) {
          table = multiply(sizes, this.maps, table, message);
          needed = true;
        }
      }
      if (!needed) return null;
      if (from < 0) return table;
      const separator = this.tree.cliques[c].filter((x) => this.tree.cliques[from].includes(x));
      const keep = union(
        separator,
        query.filter((q) => table.attrs.includes(q)),
      );
      const onSeparator = this.projection(c, separator);
      const divided = divideBy(this.maps, table, { attrs: separator, values: onSeparator });
      return {
        attrs: keep,
        values: project(divided.values, this.maps.get(divided.attrs, keep), cellCount(sizes, keep)),
      };
    };
    const table = collect(root, -1)!;
    return project(table.values, this.maps.get(table.attrs, query), cellCount(sizes, query));
  }
}

interface Table {
  readonly attrs: readonly number[];
  readonly values: Float64Array;
}

/** The product of two tables over the union of their attributes (sorted), each divided by the model total once. */
function multiply(sizes: readonly number[], maps: MapCache, x: Table, y: Table): Table {
  const attrs = union(x.attrs, y.attrs);
  const mx = maps.get(attrs, x.attrs);
  const my = maps.get(attrs, y.attrs);
  const total = x.values.reduce((s, v) => s + v, 0);
  const values = new Float64Array(cellCount(sizes, attrs));
  for (let i = 0; i < values.length; i++) values[i] = total > 0 ? (x.values[mx[i]] * y.values[my[i]]) / total : 0;
  return { attrs, values };
}

/** The table divided by one over a subset of its attributes (0 where that is 0), times the model total. */
function divideBy(maps: MapCache, x: Table, y: Table): Table {
  const map = maps.get(x.attrs, y.attrs);
  const total = y.values.reduce((s, v) => s + v, 0);
  const values = new Float64Array(x.values.length);
  for (let i = 0; i < values.length; i++)
    values[i] = y.values[map[i]] > 0 ? (x.values[i] * total) / y.values[map[i]] : 0;
  return { attrs: x.attrs, values };
}

function transpose(values: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out[j * rows + i] = values[i * columns + j];
  return out;
}
