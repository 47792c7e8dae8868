/**
 * TVAE's loss, as the reference's _loss_function: per scalar span the Gaussian negative
 * log-likelihood (x - tanh(r))^2 / (2 sigma^2) + log sigma, per softmax span the cross-entropy
 * of its one-hot, summed over rows and spans, times the loss factor over the batch size; plus
 * the KL divergence of N(mu, exp(logvar)) from N(0, I) over the batch size. Sums over a shard's
 * rows divided by the whole batch's size, so the shards' shares add up to the batch loss.
 */
import type { ModeLayout } from '../transformers/mode-layout.js';

export interface LossSpans {
  /** Output column of each scalar span, in sigma order. */
  readonly scalars: number[];
  readonly softmax: { readonly start: number; readonly size: number }[];
}

export function lossSpans(layout: ModeLayout): LossSpans {
  return {
    scalars: layout.spans.filter((s) => s.activation === 'tanh').map((s) => s.start),
    softmax: layout.spans.filter((s) => s.activation === 'softmax').map(({ start, size }) => ({ start, size })),
  };
}

export interface Reconstruction {
  readonly spans: LossSpans;
  readonly width: number;
  readonly factor: number;
}

/**
 * The reconstruction term for `rows` rows of decoder output against their encoded rows; writes
 * d term / d output into `outputGradient` and d term / d sigma into `sigmaGradient`.
 */
export function reconstructionLoss(
  spec: Reconstruction,
  output: Float32Array,
  target: Float32Array,
  rows: number,
  sigmas: Float32Array,
  batchSize: number,
  outputGradient: Float32Array,
  sigmaGradient: Float32Array,
): number {
  const { spans, width } = spec;
  const scale = spec.factor / batchSize;
  outputGradient.fill(0);
  sigmaGradient.fill(0);
  let loss = 0;
  spans.scalars.forEach((column, s) => {
    const sigma = sigmas[s];
    const inverseVariance = 1 / (sigma * sigma);
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      const at = i * width + column;
      const t = Math.tanh(output[at]);
      const error = target[at] - t;
      squares += error * error;
      outputGradient[at] = -scale * error * inverseVariance * (1 - t * t);
    }
    loss += scale * (0.5 * squares * inverseVariance + rows * Math.log(sigma));
    sigmaGradient[s] = scale * (rows / sigma - (squares * inverseVariance) / sigma);
  });
  for (const { start, size } of spans.softmax) {
    for (let i = 0; i < rows; i++) {
      const at = i * width + start;
      const cls = oneHotIndex(target, at, size);
      // A row with no class in this span (a level the layout lacks) adds nothing.
      if (cls < 0) continue;
      let max = -Infinity;
      for (let k = 0; k < size; k++) max = Math.max(max, output[at + k]);
      let total = 0;
      for (let k = 0; k < size; k++) total += Math.exp(output[at + k] - max);
      loss += scale * (max + Math.log(total) - output[at + cls]);
      for (let k = 0; k < size; k++)
        outputGradient[at + k] = scale * (Math.exp(output[at + k] - max) / total - (k === cls ? 1 : 0));
    }
  }
  return loss;
}

/**
 * KL(N(mu, exp(logvar)) || N(0, I)) summed over `rows` rows of [mu | logvar] and divided by the
 * batch size; adds its gradient to `gradient` (same layout).
 */
export function klLoss(
  encoded: Float32Array,
  rows: number,
  embedding: number,
  batchSize: number,
  gradient: Float32Array,
): number {
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const at = i * 2 * embedding;
    for (let j = 0; j < embedding; j++) {
      const mu = encoded[at + j];
      const logvar = encoded[at + embedding + j];
      const variance = Math.exp(logvar);
      loss += -0.5 * (1 + logvar - mu * mu - variance);
      gradient[at + j] += mu / batchSize;
      gradient[at + embedding + j] += (0.5 * (variance - 1)) / batchSize;
    }
  }
  return loss / batchSize;
}

/** The index of the 1 in a one-hot span, or -1 when the span is all zeros. */
function oneHotIndex(data: Float32Array, start: number, size: number): number {
  for (let k = 0; k < size; k++) if (data[start + k] > 0.5) return k;
  return -1;
}

/**
 * Each row's own d (reconstruction term) / d sigma, rows x scalars, for a batch of one (DP-SGD's
 * per-example gradient): factor * (1 / sigma - (x - tanh(r))^2 / sigma^3).
 */
export function sigmaRowGradients(
  spec: Reconstruction,
  output: Float32Array,
  target: Float32Array,
  rows: number,
  sigmas: Float32Array,
): Float64Array {
  const { scalars } = spec.spans;
  const out = new Float64Array(rows * scalars.length);
  scalars.forEach((column, s) => {
    const sigma = sigmas[s];
    for (let i = 0; i < rows; i++) {
      const at = i * spec.width + column;
      const error = target[at] - Math.tanh(output[at]);
      out[i * scalars.length + s] = spec.factor * (1 / sigma - (error * error) / sigma ** 3);
    }
  });
  return out;
}
