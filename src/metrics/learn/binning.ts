/**
 * Feature binning for the histogram learner: every feature becomes small integer bins (at most
 * 255, the missing bin included), so a split search scans bins instead of sorted values.
 * Numeric: cut points at midpoints between distinct values, or between quantiles when there are
 * more distinct values than bins. Categorical: one bin per level (natively), the rarest levels
 * sharing one bin when there are more levels than bins.
 */

/** Bins per feature, the missing bin included: bins fit a Uint8Array. */
export const MAX_BINS = 255;

export type FeatureInput =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'categorical'; readonly codes: Int32Array; readonly levels: number };

export interface FeatureBinning {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Bins including the missing bin, which is always the last one. */
  readonly binCount: number;
  /** Numeric: ascending cut points; bin = the number of cuts below the value. */
  readonly cuts?: Float64Array;
  /** Categorical: the bin of each level code. */
  readonly binOfCode?: Int32Array;
}

/** Bins of every row, one Uint8Array per feature (column-major: a histogram pass reads one array). */
export interface BinnedData {
  readonly rows: number;
  readonly bins: Uint8Array[];
  readonly binnings: readonly FeatureBinning[];
}

export function fitBinnings(features: readonly FeatureInput[], maxBins = MAX_BINS): FeatureBinning[] {
  const valueBins = Math.min(maxBins, MAX_BINS) - 1;
  return features.map((f) =>
    f.kind === 'numeric'
      ? numericBinning(f.name, f.values, valueBins)
      : categoricalBinning(f.name, f.codes, f.levels, valueBins),
  );
}

export function applyBinnings(binnings: readonly FeatureBinning[], features: readonly FeatureInput[]): BinnedData {
  const rows = features.length
    ? features[0].kind === 'numeric'
      ? features[0].values.length
      : features[0].codes.length
    : 0;
  const bins = binnings.map((binning, f) => {
    const feature = features[f];
    const out = new Uint8Array(rows);
    const missing = binning.binCount - 1;
    if (feature.kind === 'numeric') {
      const cuts = binning.cuts!;
      for (let i = 0; i < rows; i++) {
        const x = feature.values[i];
        out[i] = Number.isNaN(x) ? missing : countBelow(cuts, x);
      }
    } else {
      const map = binning.binOfCode!;
      for (let i = 0; i < rows; i++) {
        const code = feature.codes[i];
        out[i] = code < 0 || code >= map.length ? missing : map[code];
      }
    }
    return out;
  });
  return { rows, bins, binnings };
}

/** The number of cuts strictly below x (binary search). */
function countBelow(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function numericBinning(name: string, values: Float64Array, valueBins: number): FeatureBinning {
  const present = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++) if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]);
  let points = distinct;
  if (distinct.length > valueBins) {
    // Quantiles of the rows (not of the distinct values), as in LightGBM and scikit-learn.
    const quantiles = new Set<number>();
    for (let q = 1; q < valueBins; q++) quantiles.add(present[Math.floor((q * (present.length - 1)) / valueBins)]);
    quantiles.add(present[present.length - 1]);
    points = [...quantiles].sort((a, b) => a - b);
  }
  const cuts = new Float64Array(Math.max(0, points.length - 1));
  for (let i = 0; i + 1 < points.length; i++) cuts[i] = points[i] + (points[i + 1] - points[i]) / 2;
  return { name, kind: 'numeric', binCount: cuts.length + 2, cuts };
}

function categoricalBinning(name: string, codes: Int32Array, levels: number, valueBins: number): FeatureBinning {
  const binOfCode = new Int32Array(levels);
  if (levels <= valueBins) {
    for (let c = 0; c < levels; c++) binOfCode[c] = c;
    return { name, kind: 'categorical', binCount: levels + 1, binOfCode };
  }
  // Too many levels: the most frequent keep their own bin, the rest share the last value bin.
  const counts = new Float64Array(levels);
  for (const c of codes) if (c >= 0) counts[c]++;
  const byCount = Array.from({ length: levels }, (_, c) => c).sort((a, b) => counts[b] - counts[a] || a - b);
  binOfCode.fill(valueBins - 1);
  for (let rank = 0; rank < valueBins - 1; rank++) binOfCode[byCount[rank]] = rank;
  return { name, kind: 'categorical', binCount: valueBins + 1, binOfCode };
}
