/**
 * Detection (SPEC section 3): a gradient-boosted trees classifier told to separate real rows from
 * synthetic ones, on balanced seeded samples, with stratified k-fold cross-validation; the mean
 * held-out ROC AUC (0.5: indistinguishable, 1: every synthetic row gives itself away) and the
 * detector's split-gain importances, which name the columns that give the synthetic rows away.
 */
import type { BoostingParams } from '../learn/boosting.js';
import { tableFeatures, takeFeatureRows } from '../learn/table-features.js';
import { createRng, permutation, sampleIndices } from '../../core/rng.js';
import type { Table } from '../../core/table.js';
import { rocAuc } from '../stats.js';
import { fitAndClassify } from './classifier.js';

export interface DetectionOptions {
  readonly seed: number;
  readonly folds?: number;
  /** Rows per side at most (a seeded sample beyond). */
  readonly cap?: number;
  readonly params?: Partial<BoostingParams>;
}

export interface DetectionResult {
  readonly auc: number;
  readonly foldAucs: number[];
  readonly rowsPerSide: number;
  /** Share of the detector's split gain per column, largest first. */
  readonly importances: [string, number][];
}

export const DETECTION_FOLDS = 5;
export const DETECTION_CAP = 5000;

export function detection(real: Table, synthetic: Table, options: DetectionOptions): DetectionResult {
  const folds = options.folds ?? DETECTION_FOLDS;
  const rng = createRng((options.seed ^ 0x44455443) >>> 0);
  const perSide = Math.min(real.rowCount, synthetic.rowCount, options.cap ?? DETECTION_CAP);
  if (perSide < folds) throw new Error(`detection needs at least ${folds} rows on each side`);
  const realRows = sampleIndices(real.rowCount, perSide, rng);
  const syntheticRows = sampleIndices(synthetic.rowCount, perSide, rng);
  const realFeatures = takeFeatureRows(tableFeatures(real), realRows);
  const syntheticFeatures = takeFeatureRows(tableFeatures(synthetic), syntheticRows);
  const features = realFeatures.map((f, i) => {
    const s = syntheticFeatures[i];
    return f.kind === 'numeric'
      ? { ...f, values: concat(f.values, (s as typeof f).values) }
      : { ...f, codes: concatInt(f.codes, (s as typeof f).codes) };
  });
  const labels = Int32Array.from({ length: 2 * perSide }, (_, i) => (i < perSide ? 0 : 1));
  // Stratified folds: each side's rows dealt round-robin in a seeded order.
  const fold = new Int32Array(2 * perSide);
  const realOrder = permutation(perSide, rng);
  const syntheticOrder = permutation(perSide, rng);
  for (let k = 0; k < perSide; k++) {
    fold[realOrder[k]] = k % folds;
    fold[perSide + syntheticOrder[k]] = k % folds;
  }
  const gains = new Float64Array(features.length);
  const foldAucs: number[] = [];
  for (let f = 0; f < folds; f++) {
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let i = 0; i < fold.length; i++) (fold[i] === f ? testRows : trainRows).push(i);
    const fitted = fitAndClassify(
      takeFeatureRows(features, trainRows),
      Int32Array.from(trainRows, (i) => labels[i]),
      2,
      takeFeatureRows(features, testRows),
      { seed: options.seed, ...options.params },
    );
    const positives: number[] = [];
    const negatives: number[] = [];
    testRows.forEach((row, k) => (labels[row] ? positives : negatives).push(fitted.probabilities[2 * k + 1]));
    foldAucs.push(rocAuc(positives, negatives));
    fitted.model.importances.forEach((g, i) => (gains[i] += g / folds));
  }
  const importances = features
    .map((f, i): [string, number] => [f.name, gains[i]])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { auc: foldAucs.reduce((a, b) => a + b, 0) / folds, foldAucs, rowsPerSide: perSide, importances };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
