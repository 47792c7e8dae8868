/**
 * The skewness of a column's real values, from the histogram the report keeps for its plots (bin
 * midpoints and point masses, each weighted by its share of the rows): the report holds no raw
 * values, and a histogram of 30 bins places a long tail well enough to call it heavy.
 */

export interface HistogramShares {
  /** Bin edges, one more than the bins. */
  readonly edges: readonly number[];
  /** Each bin's share of the rows. */
  readonly shares: readonly number[];
  /** Values with a bar of their own, and their shares. */
  readonly masses: readonly { readonly value: number; readonly share: number }[];
}

/** Null when there is no spread to measure (no bins, or every row at one value). */
export function histogramSkewness({ edges, shares, masses }: HistogramShares): number | null {
  const points = [
    ...shares.map((share, i) => ({ x: (edges[i] + edges[i + 1]) / 2, w: share })),
    ...masses.map((m) => ({ x: m.value, w: m.share })),
  ].filter((p) => Number.isFinite(p.x) && p.w > 0);
  const total = points.reduce((sum, p) => sum + p.w, 0);
  if (!total) return null;
  const mean = points.reduce((sum, p) => sum + p.w * p.x, 0) / total;
  const moment = (k: number) => points.reduce((sum, p) => sum + p.w * (p.x - mean) ** k, 0) / total;
  const variance = moment(2);
  return variance > 0 ? moment(3) / variance ** 1.5 : null;
}
