/**
 * Losses of the boosting learner: gradients and hessians of the loss with respect to the raw
 * score, the starting score, and the loss itself (for early stopping). Raw scores are row-major
 * with `outputs` columns: 1 for squared error and binary log-loss, K for softmax over K classes.
 */

export type Target =
  | { readonly kind: 'regression'; readonly values: Float64Array }
  | { readonly kind: 'classification'; readonly classes: number; readonly labels: Int32Array };

export interface Loss {
  readonly outputs: number;
  /** Starting raw scores (one per output) from the training rows. */
  init(rows: Int32Array): Float64Array;
  /** Writes gradients and hessians of every output at `rows` (grad[k][row], hess[k][row]). */
  gradients(raw: Float64Array, rows: Int32Array, grad: Float64Array[], hess: Float64Array[]): void;
  /** Mean loss over `rows`. */
  loss(raw: Float64Array, rows: Int32Array): number;
}

export function lossFor(target: Target): Loss {
  if (target.kind === 'regression') return squaredError(target.values);
  return target.classes <= 2 ? binaryLogLoss(target.labels) : softmaxLogLoss(target.labels, target.classes);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function squaredError(y: Float64Array): Loss {
  return {
    outputs: 1,
    init: (rows) => Float64Array.of(rows.reduce((s, r) => s + y[r], 0) / Math.max(rows.length, 1)),
    gradients(raw, rows, [grad], [hess]) {
      for (const r of rows) {
        grad[r] = raw[r] - y[r];
        hess[r] = 1;
      }
    },
    loss: (raw, rows) => rows.reduce((s, r) => s + (raw[r] - y[r]) ** 2, 0) / Math.max(rows.length, 1) / 2,
  };
}

function binaryLogLoss(labels: Int32Array): Loss {
  return {
    outputs: 1,
    init(rows) {
      const p = Math.min(Math.max(rows.reduce((s, r) => s + labels[r], 0) / Math.max(rows.length, 1), 1e-6), 1 - 1e-6);
      return Float64Array.of(Math.log(p / (1 - p)));
    },
    gradients(raw, rows, [grad], [hess]) {
      for (const r of rows) {
        const p = sigmoid(raw[r]);
        grad[r] = p - labels[r];
        hess[r] = Math.max(p * (1 - p), 1e-16);
      }
    },
    loss(raw, rows) {
      let s = 0;
      for (const r of rows) {
        const p = Math.min(Math.max(sigmoid(raw[r]), 1e-15), 1 - 1e-15);
        s -= labels[r] ? Math.log(p) : Math.log(1 - p);
      }
      return s / Math.max(rows.length, 1);
    },
  };
}

function softmaxLogLoss(labels: Int32Array, classes: number): Loss {
  const probability = (raw: Float64Array, r: number, k: number): number => {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, raw[r * classes + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(raw[r * classes + c] - max);
    return Math.exp(raw[r * classes + k] - max) / sum;
  };
  return {
    outputs: classes,
    init(rows) {
      const counts = new Float64Array(classes);
      for (const r of rows) counts[labels[r]]++;
      return counts.map((c) => Math.log(Math.max(c / Math.max(rows.length, 1), 1e-6)));
    },
    gradients(raw, rows, grad, hess) {
      const p = new Float64Array(classes);
      for (const r of rows) {
        let max = -Infinity;
        for (let c = 0; c < classes; c++) max = Math.max(max, raw[r * classes + c]);
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(raw[r * classes + c] - max);
        for (let c = 0; c < classes; c++) {
          const q = p[c] / sum;
          grad[c][r] = q - (labels[r] === c ? 1 : 0);
          hess[c][r] = Math.max(q * (1 - q), 1e-16);
        }
      }
    },
    loss(raw, rows) {
      let s = 0;
      for (const r of rows) s -= Math.log(Math.max(probability(raw, r, labels[r]), 1e-15));
      return s / Math.max(rows.length, 1);
    },
  };
}

/** Class probabilities from raw scores (row-major, `classes` columns; binary: 2 columns from 1 score). */
export function probabilities(raw: Float64Array, rows: number, classes: number): Float64Array {
  const out = new Float64Array(rows * Math.max(classes, 2));
  if (classes <= 2) {
    for (let r = 0; r < rows; r++) {
      const p = sigmoid(raw[r]);
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, raw[r * classes + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[r * classes + c] = Math.exp(raw[r * classes + c] - max);
    for (let c = 0; c < classes; c++) out[r * classes + c] /= sum;
  }
  return out;
}
