/** Fit-and-predict helpers over the boosting learner, shared by ML efficacy and detection. */
import type { FeatureInput } from '../learn/binning.js';
import { fitBoosting, predictRaw, type BoostedModel, type BoostingParams } from '../learn/boosting.js';
import { probabilities, type Target } from '../learn/losses.js';

export const featureRows = (features: readonly FeatureInput[]): number =>
  features.length === 0 ? 0 : features[0].kind === 'numeric' ? features[0].values.length : features[0].codes.length;

export interface Classified {
  readonly predicted: Int32Array;
  /** Row-major, max(classes, 2) columns. */
  readonly probabilities: Float64Array;
}

export function fitAndClassify(
  train: readonly FeatureInput[],
  labels: Int32Array,
  classes: number,
  test: readonly FeatureInput[],
  params: Partial<BoostingParams>,
): Classified & { model: BoostedModel } {
  const target: Target = { kind: 'classification', classes, labels };
  const model = fitBoosting(train, target, params);
  const rows = featureRows(test);
  const p = probabilities(predictRaw(model, test), rows, classes);
  const width = Math.max(classes, 2);
  const predicted = Int32Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let k = 1; k < width; k++) if (p[r * width + k] > p[r * width + best]) best = k;
    return best;
  });
  return { model, predicted, probabilities: p };
}

export function fitAndRegress(
  train: readonly FeatureInput[],
  values: Float64Array,
  test: readonly FeatureInput[],
  params: Partial<BoostingParams>,
): Float64Array {
  return predictRaw(fitBoosting(train, { kind: 'regression', values }, params), test);
}
