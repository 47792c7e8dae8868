/**
 * A numeric column's noisy fine histogram, in two levels so that noise does not swamp it. First
 * 32 groups of leaves are measured; a group whose noisy count does not clear PASS_SIGMAS standard
 * deviations keeps weight 0 (noise alone would otherwise spread phantom mass across an empty
 * range). Each passing group is then cut into as many contiguous chunks of leaves as its noisy
 * count supports, about SIGNAL_SIGMAS of the chunk noise per chunk (every leaf without noise),
 * and the chunks are measured; a chunk's count, clipped at 0, is spread evenly over its leaves.
 * A group that did not pass keeps its noisy count less one standard deviation (soft
 * thresholding: an empty group keeps 0.08 sigma on average instead of 0.4), as tail weights: what
 * a range bin decodes with when no passing group lies in it, so that a sparse tail is drawn
 * where its rows are rather than uniformly.
 * Each row adds one to one group and one chunk, so each level is one Gaussian measurement of L2
 * sensitivity 1; the chunking reads only the first level's noisy output.
 */
import type { Mechanisms } from '../mechanisms.js';
import type { FineGrid } from './coder.js';

export const GROUPS = 32;
/** Standard deviations a group's noisy count must clear for its leaves to be measured. */
export const PASS_SIGMAS = 3;
/** A passing group is cut into chunks expected to hold this many standard deviations of the chunk noise. */
export const SIGNAL_SIGMAS = 4;

export interface FineHistogram {
  /** Per leaf: its chunk's noisy count clipped at 0, spread over the chunk (0 in groups that did not pass). */
  readonly weights: number[];
  /** Per leaf: its group's soft-thresholded noisy count spread over the group, for groups that did not pass. */
  readonly tails: number[];
  /** Estimated rows in the column's range: the passing groups' noisy counts. */
  readonly rows: number;
  /** Groups and chunks measured, for the report. */
  readonly groups: number;
  readonly chunks: number;
}

export function fineHistogram(
  label: string,
  grid: FineGrid,
  leafCounts: Float64Array,
  mechanisms: Mechanisms,
  sigmas: { readonly group: number; readonly leaf: number },
): FineHistogram {
  const per = Math.ceil(grid.count / GROUPS);
  const groupCount = Math.ceil(grid.count / per);
  const groupCounts = new Float64Array(groupCount);
  for (let j = 0; j < grid.count; j++) groupCounts[Math.floor(j / per)] += leafCounts[j];
  const noisyGroups = mechanisms.gaussian(`${label}/groups`, groupCounts, sigmas.group);
  // Chunks [from, to) of leaves: the passing groups', each cut by its noisy count.
  const chunks: [number, number][] = [];
  for (let g = 0; g < groupCount; g++) {
    if (!(noisyGroups[g] > PASS_SIGMAS * sigmas.group)) continue;
    const [from, to] = [g * per, Math.min(grid.count, (g + 1) * per)];
    const supported = sigmas.leaf > 0 ? Math.floor(noisyGroups[g] / (SIGNAL_SIGMAS * sigmas.leaf)) : Infinity;
    const pieces = Math.max(1, Math.min(to - from, supported));
    for (let k = 0; k < pieces; k++)
      chunks.push([from + Math.floor(((to - from) * k) / pieces), from + Math.floor(((to - from) * (k + 1)) / pieces)]);
  }
  const counts = Float64Array.from(chunks, ([from, to]) => leafCounts.subarray(from, to).reduce((s, c) => s + c, 0));
  const noisy = chunks.length ? mechanisms.gaussian(`${label}/chunks`, counts, sigmas.leaf) : counts;
  const weights = new Array<number>(grid.count).fill(0);
  chunks.forEach(([from, to], k) => {
    for (let j = from; j < to; j++) weights[j] = Math.max(0, noisy[k]) / (to - from);
  });
  const tails = new Array<number>(grid.count).fill(0);
  for (let g = 0; g < groupCount; g++) {
    if (noisyGroups[g] > PASS_SIGMAS * sigmas.group) continue;
    const [from, to] = [g * per, Math.min(grid.count, (g + 1) * per)];
    for (let j = from; j < to; j++) tails[j] = Math.max(0, noisyGroups[g] - sigmas.group) / (to - from);
  }
  let rows = 0;
  for (let g = 0; g < groupCount; g++) if (noisyGroups[g] > PASS_SIGMAS * sigmas.group) rows += noisyGroups[g];
  return { weights, tails, rows, groups: groupCount, chunks: chunks.length };
}
