/**
 * The privacy evidence as the report plots it: how far synthetic rows sit from the training rows
 * beside how far unseen real rows (the holdout) sit from them, and the membership attack's ROC curve.
 */
import type { PrivacyDistances } from '../privacy-distances.js';
import { binEdges, histogram } from './column-distributions.js';

/** ROC points kept in the report: enough for a smooth curve, few enough for a small file. */
export const ROC_POINTS = 200;

export interface DistanceHistograms {
  /** Shared bin edges (distance, SPEC section 3). */
  readonly edges: number[];
  /** Share of the sampled synthetic rows in each bin, by distance to the closest training row. */
  readonly synthetic_to_train: number[];
  /** Share of the sampled holdout rows in each bin, by distance to the closest training row; null without a holdout. */
  readonly holdout_to_train: number[] | null;
  /** Rows behind each histogram, and how many sit at distance 0. */
  readonly rows: { synthetic: number; holdout: number | null };
  readonly at_zero: { synthetic: number; holdout: number | null };
}

export interface RocCurve {
  readonly auc: number | null;
  /** False and true positive rates of the attack (members: training rows; non-members: holdout rows), from (0,0) to (1,1). */
  readonly fpr: number[];
  readonly tpr: number[];
}

export async function distanceHistograms(distances: PrivacyDistances): Promise<DistanceHistograms> {
  const toTrain = distances.syntheticToReal;
  const holdout = distances.holdoutToReal ? await distances.holdoutToReal() : null;
  const edges = distanceEdges(holdout ? [toTrain, holdout] : [toTrain]);
  return {
    edges,
    synthetic_to_train: histogram(toTrain, edges).map(round),
    holdout_to_train: holdout ? histogram(holdout, edges).map(round) : null,
    rows: { synthetic: toTrain.length, holdout: holdout?.length ?? null },
    at_zero: { synthetic: zeros(toTrain), holdout: holdout ? zeros(holdout) : null },
  };
}

/** Equal-width bins from 0, so an exact copy (distance 0) lands in the first bin. */
function distanceEdges(sets: Float64Array[]): number[] {
  const edges = binEdges(sets);
  if (edges.length === 0) return [];
  const high = edges[edges.length - 1];
  const bins = 30;
  if (high <= 0) return [0, 1];
  return Array.from({ length: bins + 1 }, (_, k) => round((high * k) / bins));
}

const zeros = (values: Float64Array): number => values.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

/**
 * The attack of mia_auc: a row is called a member when its distance to the closest synthetic row is
 * at most t. Sweeping t over every distance gives the curve; tied distances move both rates at once,
 * so the area under these points is the AUC with ties counting one half.
 */
export function rocCurve(distances: PrivacyDistances, auc: number | null): RocCurve | null {
  const members = distances.realToSynthetic;
  const others = distances.holdoutToSynthetic;
  if (!others || members.length === 0 || others.length === 0) return null;
  const all = [...Array.from(members, (d) => [d, 1]), ...Array.from(others, (d) => [d, 0])].sort((a, b) => a[0] - b[0]);
  const fpr = [0];
  const tpr = [0];
  let [tp, fp] = [0, 0];
  for (let k = 0; k < all.length; k++) {
    if (all[k][1]) tp++;
    else fp++;
    if (k + 1 < all.length && all[k + 1][0] === all[k][0]) continue;
    fpr.push(fp / others.length);
    tpr.push(tp / members.length);
  }
  const keep = thin(fpr.length, ROC_POINTS);
  return { auc, fpr: keep.map((k) => round(fpr[k])), tpr: keep.map((k) => round(tpr[k])) };
}

/** At most `limit` indices out of `length`, evenly spread, first and last always kept. */
function thin(length: number, limit: number): number[] {
  if (length <= limit) return Array.from({ length }, (_, k) => k);
  const step = (length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, k) => Math.round(k * step));
}

const round = (x: number): number => Number(x.toPrecision(6));
