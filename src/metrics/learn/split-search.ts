/**
 * The best split of one node from its histogram. Gain is the reduction of the second-order loss
 * approximation, G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2). Numeric features split at a bin
 * boundary; categorical ones on a set of categories, found by ordering the categories by g/h and
 * scanning that order (Fisher 1958, as in LightGBM). Missing values try both sides.
 */
import { MAX_BINS, type BinnedData } from './binning.js';
import type { HistogramLayout } from './histogram.js';

export interface SplitLimits {
  readonly minSamplesLeaf: number;
  readonly minHessianLeaf: number;
  readonly l2: number;
}

export interface Split {
  readonly feature: number;
  readonly gain: number;
  /** 1 for the bins that go to the left child. */
  readonly leftBins: Uint8Array;
  readonly leftCount: number;
}

export function bestSplit(
  data: BinnedData,
  layout: HistogramLayout,
  hist: Float64Array,
  limits: SplitLimits,
  allowed?: (feature: number) => boolean,
): Split | null {
  let best: { feature: number; gain: number; cut: number; missingLeft: boolean } | null = null;
  const order = new Int32Array(MAX_BINS);
  let totalG = 0;
  let totalH = 0;
  let totalN = 0;
  // Totals from the first feature: every feature's bins partition the node's rows.
  for (let b = 0; b < data.binnings[0].binCount; b++) {
    totalG += hist[b * 3];
    totalH += hist[b * 3 + 1];
    totalN += hist[b * 3 + 2];
  }
  const parentScore = (totalG * totalG) / (totalH + limits.l2);
  for (let f = 0; f < data.binnings.length; f++) {
    if (allowed && !allowed(f)) continue;
    const binning = data.binnings[f];
    const base = layout.offsets[f] * 3;
    const missing = binning.binCount - 1;
    const mg = hist[base + missing * 3];
    const mh = hist[base + missing * 3 + 1];
    const mn = hist[base + missing * 3 + 2];
    const bins = valueOrder(hist, base, missing, binning.kind === 'categorical', limits.l2, order);
    let g = 0;
    let h = 0;
    let n = 0;
    for (let cut = 0; cut < bins; cut++) {
      const at = base + order[cut] * 3;
      g += hist[at];
      h += hist[at + 1];
      n += hist[at + 2];
      for (let side = mn > 0 ? 1 : 0; side >= 0; side--) {
        const missingLeft = side === 1;
        const lg = missingLeft ? g + mg : g;
        const lh = missingLeft ? h + mh : h;
        const ln = missingLeft ? n + mn : n;
        const rn = totalN - ln;
        const rh = totalH - lh;
        if (ln < limits.minSamplesLeaf || rn < limits.minSamplesLeaf) continue;
        if (lh < limits.minHessianLeaf || rh < limits.minHessianLeaf) continue;
        const rg = totalG - lg;
        const gain = (lg * lg) / (lh + limits.l2) + (rg * rg) / (rh + limits.l2) - parentScore;
        if (gain > 1e-12 && (!best || gain > best.gain)) best = { feature: f, gain, cut, missingLeft };
      }
    }
  }
  if (!best) return null;
  const binning = data.binnings[best.feature];
  const base = layout.offsets[best.feature] * 3;
  // The winner's scan order again (the buffer has moved on to other features since).
  valueOrder(hist, base, binning.binCount - 1, binning.kind === 'categorical', limits.l2, order);
  const leftBins = new Uint8Array(binning.binCount);
  for (let k = 0; k <= best.cut; k++) leftBins[order[k]] = 1;
  if (best.missingLeft) leftBins[leftBins.length - 1] = 1;
  let leftCount = 0;
  for (let b = 0; b < leftBins.length; b++) if (leftBins[b]) leftCount += hist[base + b * 3 + 2];
  return { feature: best.feature, gain: best.gain, leftBins, leftCount };
}

/** Writes the non-empty value bins into `order` in scan order, by bin for numeric, by g/h for categorical; returns how many. */
function valueOrder(
  hist: Float64Array,
  base: number,
  missing: number,
  categorical: boolean,
  l2: number,
  order: Int32Array,
): number {
  let count = 0;
  for (let b = 0; b < missing; b++) if (hist[base + b * 3 + 2] > 0) order[count++] = b;
  if (categorical) {
    // Insertion sort: stable, as Array.prototype.sort is, so ties keep bin order; a few dozen bins at most.
    const ratio = (b: number) => hist[base + b * 3] / (hist[base + b * 3 + 1] + l2 + 1e-9);
    for (let i = 1; i < count; i++) {
      const bin = order[i];
      const key = ratio(bin);
      let k = i - 1;
      for (; k >= 0 && ratio(order[k]) - key > 0; k--) order[k + 1] = order[k];
      order[k + 1] = bin;
    }
  }
  return count;
}
