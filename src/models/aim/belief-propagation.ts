/**
 * Exact marginals of a graphical model from its log-potentials, by belief propagation on its
 * junction tree in log space. Upward, each clique's belief (its potentials plus its children's
 * messages) sends its parent the log-sum-exp over what they do not share; a root's belief then
 * holds its exact (unnormalised) log-marginal. Downward, each child's marginal is its parent's
 * marginal on the separator times the child's conditional given the separator, which the upward
 * pass already holds as exp(belief - message): no second log-sum-exp, one exp per cell in all.
 * Cells with a potential of -Infinity (evidence clamped away) get probability 0.
 */
import { addBroadcast, cellCount, isSubset, logSumExp, project, type Clique, type MapCache } from './factor.js';
import type { JunctionTree } from './junction-tree.js';

export interface Potential {
  readonly clique: Clique;
  /** Log-potential, one value per cell. */
  readonly values: Float64Array;
}

export interface Calibrated {
  /** Per tree clique, its marginal scaled to sum to `total`. */
  readonly marginals: Float64Array[];
  /** log of the partition function (the sum over all cells of the exponentiated potentials). */
  readonly logZ: number;
}

/** The tree clique each potential's values are added into: the smallest that contains it (the cheapest to add into). */
export function assignPotentials(tree: JunctionTree, cliques: readonly Clique[], sizes: readonly number[]): number[] {
  return cliques.map((clique) => smallestHolding(tree, clique, sizes));
}

/** The index of the junction-tree clique with the fewest cells that holds `clique`. */
export function smallestHolding(tree: JunctionTree, clique: Clique, sizes: readonly number[]): number {
  let best = -1;
  tree.cliques.forEach((c, i) => {
    if (isSubset(clique, c) && (best < 0 || cellCount(sizes, c) < cellCount(sizes, tree.cliques[best]))) best = i;
  });
  if (best < 0) throw new Error(`no junction-tree clique holds ${clique.join(',')}`);
  return best;
}

export function calibrate(
  tree: JunctionTree,
  maps: MapCache,
  potentials: readonly Potential[],
  assignment: readonly number[],
  total: number,
): Calibrated {
  const sizes = maps.sizes;
  const beliefs = tree.cliques.map((c) => new Float64Array(cellCount(sizes, c)));
  potentials.forEach((p, k) => {
    const into = tree.cliques[assignment[k]];
    addBroadcast(beliefs[assignment[k]], maps.get(into, p.clique), p.values);
  });
  const terms: (Float64Array | undefined)[] = new Array(tree.cliques.length);
  const sums: (Float64Array | undefined)[] = new Array(tree.cliques.length);
  for (let k = tree.order.length - 1; k >= 0; k--) {
    const c = tree.order[k];
    const p = tree.parent[c];
    if (p < 0) continue;
    const separator = tree.separators[c];
    const cells = cellCount(sizes, separator);
    terms[c] = new Float64Array(beliefs[c].length);
    sums[c] = new Float64Array(cells);
    const message = logSumExp(beliefs[c], maps.get(tree.cliques[c], separator), cells, terms[c], sums[c]);
    addBroadcast(beliefs[p], maps.get(tree.cliques[p], separator), message);
  }
  const marginals: Float64Array[] = new Array(tree.cliques.length);
  let logZ = 0;
  for (const c of tree.order) {
    const p = tree.parent[c];
    if (p < 0) {
      const [logTotal] = logSumExp(beliefs[c], maps.get(tree.cliques[c], []), 1);
      if (logTotal === -Infinity) throw new Error('the evidence leaves the model no possible row');
      logZ += logTotal;
      const out = new Float64Array(beliefs[c].length);
      for (let i = 0; i < out.length; i++) out[i] = total * Math.exp(beliefs[c][i] - logTotal);
      marginals[c] = out;
      continue;
    }
    const separator = tree.separators[c];
    const onSeparator = project(marginals[p], maps.get(tree.cliques[p], separator), sums[c]!.length);
    const map = maps.get(tree.cliques[c], separator);
    const t = terms[c]!;
    const s = sums[c]!;
    const out = new Float64Array(t.length);
    for (let i = 0; i < out.length; i++) {
      const j = map[i];
      out[i] = s[j] > 0 ? (onSeparator[j] * t[i]) / s[j] : 0;
    }
    marginals[c] = out;
  }
  return { marginals, logZ };
}
