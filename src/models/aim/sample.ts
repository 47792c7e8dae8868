/**
 * Rows from a calibrated junction tree, as the reference (private-pgm's synthetic_data with
 * method "round") does: attributes in reverse elimination order, each given the attributes it
 * was eliminated with (already drawn, and in a triangulated graph they separate it from every
 * other attribute drawn before), so the rows follow the model's joint exactly. Within each group
 * of rows sharing those values, the attribute's conditional counts are rounded to the group's
 * size (floors, then the remainder to distinct values drawn by their fractional parts) and
 * dealt out in a random order: the sample's marginals match the model's as closely as whole
 * rows allow.
 */
import type { Rng } from '../../core/rng.js';
import { cellCount, project, type MapCache } from './factor.js';
import type { JunctionTree } from './junction-tree.js';

export function sampleCodes(
  tree: JunctionTree,
  maps: MapCache,
  marginals: readonly Float64Array[],
  rows: number,
  rng: Rng,
): Int32Array[] {
  const sizes = maps.sizes;
  const codes = sizes.map(() => new Int32Array(rows));
  for (let e = tree.elimination.length - 1; e >= 0; e--) {
    const v = tree.elimination[e];
    const clique = tree.conditioning[v];
    const home = tree.home[v];
    const table = project(marginals[home], maps.get(tree.cliques[home], clique), cellCount(sizes, clique));
    const at = clique.indexOf(v);
    const strides = clique.map((_, j) => cellCount(sizes, clique.slice(j + 1)));
    const base = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let index = 0;
      for (let j = 0; j < clique.length; j++) if (j !== at) index += codes[clique[j]][r] * strides[j];
      base[r] = index;
    }
    const order = Int32Array.from({ length: rows }, (_, r) => r).sort((x, y) => base[x] - base[y] || x - y);
    const fallback = project(table, maps.get(clique, [v]), sizes[v]);
    const p = new Float64Array(sizes[v]);
    for (let start = 0; start < rows;) {
      let end = start;
      while (end < rows && base[order[end]] === base[order[start]]) end++;
      for (let k = 0; k < sizes[v]; k++) p[k] = table[base[order[start]] + k * strides[at]];
      const counts = roundCounts(p.some((x) => x > 0) ? p : fallback, end - start, rng);
      const values = dealt(counts, rng);
      for (let i = start; i < end; i++) codes[v][order[i]] = values[i - start];
      start = end;
    }
  }
  return codes;
}

/**
 * Counts proportional to `weights` summing to `total`: each floor, then one more for `total -
 * sum of floors` distinct values drawn without replacement with probability proportional to
 * their fractional parts.
 */
export function roundCounts(weights: ArrayLike<number>, total: number, rng: Rng): Int32Array {
  const k = weights.length;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.max(0, weights[i]);
  const counts = new Int32Array(k);
  if (!(sum > 0)) {
    for (let i = 0; i < total; i++) counts[rng.int(k)]++;
    return counts;
  }
  const fractions = new Float64Array(k);
  let assigned = 0;
  for (let i = 0; i < k; i++) {
    const exact = (Math.max(0, weights[i]) * total) / sum;
    counts[i] = Math.floor(exact);
    fractions[i] = exact - counts[i];
    assigned += counts[i];
  }
  for (let extra = total - assigned; extra > 0; extra--) {
    let left = 0;
    for (let i = 0; i < k; i++) left += fractions[i];
    // Past every positive fraction (rounding) the last positive one takes it; none left: the largest weight.
    let pick = -1;
    if (left > 0) {
      let target = rng.next() * left;
      for (let i = 0; i < k; i++) {
        if (fractions[i] <= 0) continue;
        pick = i;
        if ((target -= fractions[i]) < 0) break;
      }
    }
    if (pick < 0) pick = largest(weights);
    counts[pick]++;
    fractions[pick] = 0;
  }
  return counts;
}

function largest(weights: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < weights.length; i++) if (weights[i] > weights[best]) best = i;
  return best;
}

/** The values 0..k-1, each repeated its count, in a random order. */
function dealt(counts: Int32Array, rng: Rng): Int32Array {
  let n = 0;
  for (const c of counts) n += c;
  const out = new Int32Array(n);
  let at = 0;
  counts.forEach((c, value) => out.fill(value, at, (at += c)));
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
