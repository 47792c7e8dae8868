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
  /** Each row's flat histogram bins (offset included), row after row: a pass reads a row's bins together. */
  readonly rowBins: Int32Array;
}

export function histogramLayout(data: BinnedData): HistogramLayout {
  const features = data.binnings.length;
  const offsets = new Int32Array(features);
  let total = 0;
  data.binnings.forEach((b, f) => {
    offsets[f] = total;
    total += b.binCount;
  });
  const rowBins = new Int32Array(data.rows * features);
  data.bins.forEach((bins, f) => {
    for (let r = 0; r < data.rows; r++) rowBins[r * features + f] = offsets[f] + bins[r];
  });
  return { offsets, totalBins: total, rowBins };
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
  const features = data.bins.length;
  const { rowBins } = layout;
  // Row by row: each bin still sums its rows in the node's order, as a feature-by-feature pass does.
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const g = grad[r];
    const h = hess[r];
    for (let f = r * features, last = f + features; f < last; f++) {
      const at = rowBins[f] * 3;
      hist[at] += g;
      hist[at + 1] += h;
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
