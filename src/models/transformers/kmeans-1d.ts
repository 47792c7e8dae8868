/**
 * k-means on one column: greedy k-means++ seeding (Arthur and Vassilvitskii 2007, 2 + log k trials
 * per centre, as sklearn) then Lloyd's iterations. It only starts the mixture's variational fit.
 */
import type { Rng } from '../../core/rng.js';

const MAX_ITERATIONS = 300;
/** Lloyd stops when the centres move less than this share of the column's variance (sklearn's tol). */
const RELATIVE_TOLERANCE = 1e-4;

/** The cluster index of each value. */
export function kMeansLabels(values: Float64Array, k: number, rng: Rng): Int32Array {
  const centres = seedCentres(values, k, rng);
  const labels = new Int32Array(values.length);
  const tolerance = RELATIVE_TOLERANCE * variance(values);
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let changed = iteration === 0;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < values.length; i++) {
      const label = nearest(centres, values[i]);
      if (label !== labels[i]) changed = true;
      labels[i] = label;
      sums[label] += values[i];
      counts[label]++;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre; the mixture's prior empties it
      const moved = sums[c] / counts[c];
      shift += (moved - centres[c]) ** 2;
      centres[c] = moved;
    }
    if (!changed || shift <= tolerance) break;
  }
  for (let i = 0; i < values.length; i++) labels[i] = nearest(centres, values[i]);
  return labels;
}

function seedCentres(values: Float64Array, k: number, rng: Rng): Float64Array {
  const n = values.length;
  const centres = new Float64Array(k);
  centres[0] = values[rng.int(n)];
  let closest: Float64Array = values.map((v) => (v - centres[0]) ** 2);
  let potential = sum(closest);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    let best: Float64Array | undefined;
    let bestPotential = Infinity;
    let bestValue = centres[0];
    for (let t = 0; t < trials; t++) {
      const candidate = values[pickByWeight(closest, rng.next() * potential)];
      const distances = closest.map((d, i) => Math.min(d, (values[i] - candidate) ** 2));
      const candidatePotential = sum(distances);
      if (candidatePotential < bestPotential) {
        best = distances;
        bestPotential = candidatePotential;
        bestValue = candidate;
      }
    }
    centres[c] = bestValue;
    closest = best!;
    potential = bestPotential;
  }
  return centres;
}

/** The first index whose running sum of weights passes `target` (the last index when rounding overshoots). */
function pickByWeight(weights: Float64Array, target: number): number {
  let running = 0;
  for (let i = 0; i < weights.length; i++) {
    running += weights[i];
    if (running > target) return i;
  }
  return weights.length - 1;
}

function nearest(centres: Float64Array, value: number): number {
  let best = 0;
  for (let c = 1; c < centres.length; c++) if (Math.abs(value - centres[c]) < Math.abs(value - centres[best])) best = c;
  return best;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function variance(values: Float64Array): number {
  const mean = sum(values) / values.length;
  let total = 0;
  for (const v of values) total += (v - mean) ** 2;
  return total / values.length;
}
