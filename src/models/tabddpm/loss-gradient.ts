/**
 * The mixed TabDDPM loss and its gradient with respect to the denoiser's output, in plain JS.
 * Loss = MSE of the predicted noise (numeric part) + T / spans x the multinomial KL (decoder
 * NLL at t = 0) averaged over the batch, as the reference weighs them (vb_stochastic, uniform t).
 * Computed here in one pass instead of ~40 small tensor ops; tfjs then backpropagates the
 * gradient through the network (see train-task.ts).
 *
 * Per span, with p0 = softmax(logits), u_c = p0_c A_c + S_c (A, S from the batch) and Z = sum u:
 *   CE = -sum_c q_c log(u_c / Z),  dCE/du_c = 1/Z - q_c/u_c,
 *   dCE/dl_j = p0_j (g_j - sum_c g_c p0_c)  with g_c = A_c dCE/du_c.
 * The target's entropy is a constant, so CE differs from the KL only by it.
 */
import { softmaxInto } from '../nn/softmax.js';
import type { SpanGeometry, TrainingBatch } from './batch.js';

export interface LossAndGradient {
  /** This shard's share of the batch loss. */
  readonly loss: number;
  /** d loss / d output, [rows, dNum + dCat]. */
  readonly gradient: Float32Array;
}

export function lossGradient(
  output: Float32Array,
  batch: TrainingBatch,
  dNum: number,
  spans: SpanGeometry,
  steps: number,
  batchSize: number,
): LossAndGradient {
  const rows = batch.size;
  const dCat = spans.width;
  const width = dNum + dCat;
  const gradient = new Float32Array(rows * width);
  let loss = 0;
  if (dNum > 0) {
    const scale = 1 / (batchSize * dNum);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < dNum; j++) {
        const diff = output[i * width + j] - batch.noise[i * dNum + j];
        loss += diff * diff * scale;
        gradient[i * width + j] = 2 * diff * scale;
      }
    }
  }
  const nSpans = spans.sizes.length;
  if (nSpans === 0) return { loss, gradient };
  const weight = steps / (nSpans * batchSize);
  const k = Math.max(...spans.sizes);
  const p0 = new Float64Array(k);
  const g = new Float64Array(k);
  let crossEntropy = 0;
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < nSpans; s++) {
      const size = spans.sizes[s];
      const out = i * width + dNum + spans.offsets[s];
      const at = i * dCat + spans.offsets[s];
      softmaxInto(p0, output, out, size);
      let z = 0;
      for (let c = 0; c < size; c++) z += p0[c] * batch.mixScale[at + c] + batch.mixShift[at + c];
      let inner = 0;
      for (let c = 0; c < size; c++) {
        const u = p0[c] * batch.mixScale[at + c] + batch.mixShift[at + c];
        const q = batch.target[at + c];
        if (q > 0) crossEntropy -= q * Math.log(u / z);
        g[c] = (1 / z - (q > 0 ? q / u : 0)) * batch.mixScale[at + c];
        inner += g[c] * p0[c];
      }
      for (let c = 0; c < size; c++) gradient[out + c] = weight * p0[c] * (g[c] - inner);
    }
  }
  return { loss: loss + weight * crossEntropy, gradient };
}
