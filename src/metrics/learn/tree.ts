/**
 * One regression tree on gradients and hessians, grown leaf-wise (best gain first, as LightGBM
 * and scikit-learn's HistGradientBoosting do) up to a leaf count and a depth.
 */
import type { BinnedData } from './binning.js';
import { buildHistogram, histogramLayout, subtractHistogram, type HistogramLayout } from './histogram.js';
import { bestSplit, type Split, type SplitLimits } from './split-search.js';

export interface TreeLimits extends SplitLimits {
  readonly maxLeaves: number;
  readonly maxDepth: number;
}

/** Flat arrays; a node with feature -1 is a leaf holding `value`. */
export interface Tree {
  readonly feature: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly leftBins: (Uint8Array | null)[];
  /** Sum of split gains per feature: the tree's contribution to feature importance. */
  readonly gains: Float64Array;
}

interface Leaf {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  readonly hist: Float64Array;
  readonly g: number;
  readonly h: number;
  readonly split: Split | null;
}

/** `rows`: the training rows of this tree (reordered in place). `shrinkage` scales leaf values. */
export function growTree(
  data: BinnedData,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  limits: TreeLimits,
  shrinkage: number,
  layout: HistogramLayout = histogramLayout(data),
): Tree {
  const feature: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const leftBins: (Uint8Array | null)[] = [];
  const gains = new Float64Array(data.bins.length);
  const addNode = (): number => {
    feature.push(-1);
    left.push(-1);
    right.push(-1);
    value.push(0);
    leftBins.push(null);
    return feature.length - 1;
  };
  const makeLeaf = (node: number, start: number, end: number, depth: number, hist: Float64Array): Leaf => {
    let g = 0;
    let h = 0;
    for (let k = start; k < end; k++) {
      g += grad[rows[k]];
      h += hess[rows[k]];
    }
    const canSplit = depth < limits.maxDepth && end - start >= 2 * limits.minSamplesLeaf;
    return { node, start, end, depth, hist, g, h, split: canSplit ? bestSplit(data, layout, hist, limits) : null };
  };
  const root = makeLeaf(addNode(), 0, rows.length, 0, buildHistogram(data, layout, grad, hess, rows, 0, rows.length));
  const open: Leaf[] = [root];
  while (open.length && open.length < limits.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < open.length; i++)
      if (open[i].split && (pick < 0 || open[i].split!.gain > open[pick].split!.gain)) pick = i;
    if (pick < 0) break;
    const leaf = open.splice(pick, 1)[0];
    const split = leaf.split!;
    const mid = partition(rows, leaf.start, leaf.end, data.bins[split.feature], split.leftBins);
    feature[leaf.node] = split.feature;
    leftBins[leaf.node] = split.leftBins;
    gains[split.feature] += split.gain;
    const leftNode = addNode();
    const rightNode = addNode();
    left[leaf.node] = leftNode;
    right[leaf.node] = rightNode;
    const leftSmaller = mid - leaf.start <= leaf.end - mid;
    const small = leftSmaller
      ? buildHistogram(data, layout, grad, hess, rows, leaf.start, mid)
      : buildHistogram(data, layout, grad, hess, rows, mid, leaf.end);
    const large = subtractHistogram(leaf.hist, small);
    open.push(makeLeaf(leftNode, leaf.start, mid, leaf.depth + 1, leftSmaller ? small : large));
    open.push(makeLeaf(rightNode, mid, leaf.end, leaf.depth + 1, leftSmaller ? large : small));
  }
  for (const leaf of open) value[leaf.node] = (-shrinkage * leaf.g) / (leaf.h + limits.l2 + 1e-12);
  return {
    feature: Int32Array.from(feature),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
    leftBins,
    gains,
  };
}

/** Reorders rows[start, end) so the rows going left come first; returns the boundary. */
function partition(rows: Int32Array, start: number, end: number, bins: Uint8Array, leftBins: Uint8Array): number {
  let i = start;
  let j = end - 1;
  while (i <= j) {
    if (leftBins[bins[rows[i]]]) i++;
    else {
      const t = rows[i];
      rows[i] = rows[j];
      rows[j] = t;
      j--;
    }
  }
  return i;
}

/** The tree's output for row `r` of binned data. */
export function treeValue(tree: Tree, data: BinnedData, r: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = tree.leftBins[node]![data.bins[tree.feature[node]][r]] ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}
