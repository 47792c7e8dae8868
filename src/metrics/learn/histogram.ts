/**
 * Gradient/hessian histograms: per feature and bin, the sums of gradient, hessian and row count
 * over a node's rows, interleaved as [g, h, n] in one Float64Array. A child's histogram is its
 * parent's minus its sibling's (the subtraction trick), so only the smaller child is scanned.
 */
import type { BinnedData } from './binning.js';

export interface HistogramLayout {
  /** First bin of each feature in the flat histogram. */
  readonly offsets: Int32Array;
  readonly totalBins: number;
}

export function histogramLayout(data: BinnedData): HistogramLayout {
  const offsets = new Int32Array(data.binnings.length);
  let total = 0;
  data.binnings.forEach((b, f) => {
    offsets[f] = total;
    total += b.binCount;
  });
  return { offsets, totalBins: total };
}

/** The histogram of rows[start, end). */
export function buildHistogram(
  data: BinnedData,
  layout: HistogramLayout,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
): Float64Array {
  const hist = new Float64Array(layout.totalBins * 3);
  for (let f = 0; f < data.bins.length; f++) {
    const bins = data.bins[f];
    const base = layout.offsets[f] * 3;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const at = base + bins[r] * 3;
      hist[at] += grad[r];
      hist[at + 1] += hess[r];
      hist[at + 2] += 1;
    }
  }
  return hist;
}

/** parent - child, in place into a new array. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): Float64Array {
  const out = new Float64Array(parent.length);
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
  return out;
}
