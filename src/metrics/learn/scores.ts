/** Held-out scores of a predictor: accuracy, macro F1, ROC AUC (one-vs-rest macro), R^2, RMSE. */
import { rocAuc } from '../stats.js';

export const accuracy = (truth: Int32Array, predicted: Int32Array): number =>
  truth.reduce((s, t, i) => s + (t === predicted[i] ? 1 : 0), 0) / truth.length;

/** Mean F1 over the classes present in the truth or the predictions (scikit-learn's average='macro'). */
export function macroF1(truth: Int32Array, predicted: Int32Array, classes: number): number {
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < classes; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    if (tp + fp + fn === 0) continue;
    sum += (2 * tp) / (2 * tp + fp + fn);
    counted++;
  }
  return counted ? sum / counted : NaN;
}

/**
 * ROC AUC from class probabilities (row-major, `classes` columns): the positive class's AUC for
 * two classes, else the mean one-vs-rest AUC over the classes present with both outcomes.
 */
export function rocAucOf(truth: Int32Array, probabilities: Float64Array, classes: number): number {
  const width = Math.max(classes, 2);
  const aucOf = (c: number): number => {
    const pos: number[] = [];
    const neg: number[] = [];
    truth.forEach((t, i) => (t === c ? pos : neg).push(probabilities[i * width + c]));
    return rocAuc(pos, neg);
  };
  if (classes <= 2) return aucOf(1);
  const aucs = Array.from({ length: classes }, (_, c) => aucOf(c)).filter((a) => !Number.isNaN(a));
  return aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : NaN;
}

/** Coefficient of determination: 1 - SS_res / SS_tot. */
export function rSquared(truth: Float64Array, predicted: Float64Array): number {
  const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    residual += (truth[i] - predicted[i]) ** 2;
    total += (truth[i] - mean) ** 2;
  }
  return total > 0 ? 1 - residual / total : NaN;
}

export const rmse = (truth: Float64Array, predicted: Float64Array): number =>
  Math.sqrt(truth.reduce((s, t, i) => s + (t - predicted[i]) ** 2, 0) / truth.length);
