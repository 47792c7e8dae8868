/**
 * A numeric or date column's bins, from its bounds and step (public or DP-released) and the
 * mechanisms: a whole-number column with no more values than bins gets one bin per value and
 * spends nothing; any other gets its noisy fine histogram, then its heavy values, then range
 * bins cut at the quantiles of what the heavy values leave. Values are clamped to the bounds and
 * put on the step grid before anything counts them, so an out-of-range or off-grid row lands in
 * the same cells as its neighbours.
 */
import type { Mechanisms } from '../mechanisms.js';
import { canonical, enumerate, fineGrid, leafOf, type FineGrid, type NumericCoder } from './coder.js';
import { fineHistogram } from './fine-histogram.js';
import { heavyValues } from './heavy-values.js';
import { quantileCuts } from './range-bins.js';

/** Leaves of the fine grid. */
export const LEAVES = 1024;

export interface NumericSpec {
  readonly name: string;
  readonly columnKind: NumericCoder['columnKind'];
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly missing: boolean;
  /** Bins for the column's values (point and range bins together). */
  readonly bins: number;
}

/** The noise of each release (all 0 without DP: exact counts). */
export interface NumericNoise {
  readonly groupSigma: number;
  readonly leafSigma: number;
  readonly heavySigma: number;
  /** The heavy values' privacy threshold (0 without DP). */
  readonly heavyThreshold: number;
  /** The noise AIM's rounds start measuring at (0 without DP): what caps the bins. */
  readonly roundSigma: number;
}

/** Fewest value bins a binned column gets however noisy the rounds. */
export const MIN_BINS = 8;

/**
 * The value bins the noise supports, at most `bins`: b such that a pair of such columns expects
 * at least the rounds' starting noise in each cell, b^2 sigma <= rows. Finer bins would put more
 * noise than rows in most cells of every two-way marginal AIM measures. Reads the noisy row
 * estimate only; without DP (sigma 0) every bin asked for.
 */
export function supportedBins(bins: number, rows: number, sigma: number): number {
  if (!(sigma > 0)) return bins;
  return Math.min(bins, Math.max(MIN_BINS, Math.floor(Math.sqrt(Math.max(rows, 0) / sigma))));
}

export interface NumericRelease {
  readonly coder: NumericCoder;
  /** What was measured: null for an enumerated column. */
  readonly measured: { groups: number; chunks: number; heavy: number } | null;
}

/** Whether the column's bins enumerate its values (no release needed). */
export const enumerates = (spec: NumericSpec): boolean => enumerate(spec.min, spec.max, spec.step, spec.bins) !== null;

/**
 * What a binned column's release reads of its rows: exact counts of its values, clamped to the
 * bounds and put on the step grid, per leaf of the fine grid, and per distinct value (the heavy
 * values' candidates, ascending). The mechanisms add the noise.
 */
export interface NumericCounts {
  readonly leafCounts: Float64Array;
  readonly distinct: { readonly values: Float64Array; readonly counts: Float64Array };
}

/** The fine grid a column's release counts over. */
export const gridOf = (spec: NumericSpec): FineGrid => fineGrid(spec.min, spec.max, spec.step, LEAVES);

/** A column's counts from its values in memory: every distinct value present is a candidate. */
export function countValues(spec: NumericSpec, values: Float64Array): NumericCounts {
  const { step, min, max } = spec;
  const grid = gridOf(spec);
  const present = Float64Array.from(
    Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[],
    (v) => canonical(v, step, min, max),
  );
  const leafCounts = new Float64Array(grid.count);
  for (const v of present) leafCounts[leafOf(grid, v)]++;
  const sorted = present.sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      distinct.push(sorted[i]);
      counts.push(1);
    }
  }
  return { leafCounts, distinct: { values: Float64Array.from(distinct), counts: Float64Array.from(counts) } };
}

/** The column's bins; `counts` is read only for a column whose bins need a release. */
export function numericCoder(
  spec: NumericSpec,
  counts: () => NumericCounts,
  mechanisms: Mechanisms,
  noise: NumericNoise,
): NumericRelease {
  const { name, columnKind, min, max, step, missing } = spec;
  const grid = gridOf(spec);
  const base = { kind: 'numeric' as const, name, columnKind, min, max, step, missing, grid };
  const all = enumerate(min, max, step, spec.bins);
  if (all) return { coder: { ...base, points: all, cuts: null, weights: [], tails: [] }, measured: null };
  const { leafCounts, distinct } = counts();
  const fine = fineHistogram(name, grid, leafCounts, mechanisms, { group: noise.groupSigma, leaf: noise.leafSigma });
  const bins = supportedBins(spec.bins, fine.rows, noise.roundSigma);
  const heavy = heavyValues(
    name,
    distinct.values,
    distinct.counts,
    mechanisms,
    { sigma: noise.heavySigma, threshold: Math.max(noise.heavyThreshold, fine.rows / bins) },
    bins - 1,
  );
  const weights = [...fine.weights];
  const tails = [...fine.tails];
  heavy.values.forEach((v, k) => {
    const leaf = leafOf(grid, v);
    weights[leaf] = Math.max(0, weights[leaf] - heavy.counts[k]);
    tails[leaf] = Math.max(0, tails[leaf] - heavy.counts[k]);
  });
  const cuts = quantileCuts(
    grid,
    weights.map((w, j) => w + tails[j]),
    bins - heavy.values.length,
  );
  return {
    coder: { ...base, points: heavy.values, cuts, weights, tails },
    measured: { groups: fine.groups, chunks: fine.chunks, heavy: heavy.values.length },
  };
}
