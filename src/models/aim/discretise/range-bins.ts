/**
 * The cuts between a numeric column's range bins: at quantiles of the fine histogram's leaf
 * weights (heavy values' mass removed), so that bins carry similar mass, each cut on a leaf edge
 * so that a bin decodes through whole leaves. Cuts that coincide merge their bins.
 */
import type { FineGrid } from './coder.js';

export function quantileCuts(grid: FineGrid, weights: readonly number[], bins: number): number[] {
  if (bins <= 1 || grid.count <= 1) return [];
  const total = weights.reduce((s, w) => s + w, 0);
  // Cumulative weight below each leaf edge e (0..count).
  const below = new Float64Array(grid.count + 1);
  for (let j = 0; j < grid.count; j++) below[j + 1] = below[j] + (total > 0 ? weights[j] : 1);
  const mass = below[grid.count];
  const edges: number[] = [];
  let e = 1;
  for (let k = 1; k < bins; k++) {
    const target = (k * mass) / bins;
    while (e < grid.count - 1 && below[e] < target) e++;
    // The nearer of the edges either side of the target.
    const pick = e > 1 && target - below[e - 1] < below[e] - target ? e - 1 : e;
    if (pick >= 1 && pick <= grid.count - 1 && (edges.length === 0 || pick > edges[edges.length - 1])) edges.push(pick);
  }
  return edges.map((edge) => grid.start + edge * grid.width);
}

/** The leaves [first, end) a range bin spans: its cuts lie on leaf edges. */
export function binLeaves(grid: FineGrid, cuts: readonly number[], bin: number): [number, number] {
  const first = bin === 0 ? 0 : Math.round((cuts[bin - 1] - grid.start) / grid.width);
  const end = bin === cuts.length ? grid.count : Math.round((cuts[bin] - grid.start) / grid.width);
  return [Math.max(0, first), Math.min(grid.count, Math.max(end, first + 1))];
}
