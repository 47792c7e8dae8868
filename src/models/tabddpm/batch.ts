/**
 * One training batch of TabDDPM, built in plain JS: a timestep per row, the forward-noised row
 * x_t (Gaussian on the numeric part, the categorical q(x_t | x_0) sampled per span), and every
 * quantity of the loss that does not depend on the model, so no gradient ever meets a sample.
 *
 * For a span of K classes with true class c0 and noised class j, the model's posterior is
 *   p(c) proportional to (a p0(c) + b / K) * f(c),  f(c) = alpha_t [c = j] + (1 - alpha_t) / K,
 * where p0 is the model's softmax, a = alpha-bar_{t-1}, b = 1 - a; the true posterior q(c) is
 * the same with p0 = one-hot(c0). At t = 0 the loss is the decoder NLL: a = 1, b = 0, f = 1.
 */
import type { Rng } from '../../core/rng.js';
import type { EncodedRows } from '../transformers/codec.js';
import { TIME_DIM } from './denoiser.js';
import type { Schedule } from './schedule.js';

export interface SpanGeometry {
  readonly sizes: number[];
  readonly offsets: number[];
  readonly width: number;
}

export function spanGeometry(sizes: number[]): SpanGeometry {
  const offsets: number[] = [];
  let width = 0;
  for (const size of sizes) {
    offsets.push(width);
    width += size;
  }
  return { sizes, offsets, width };
}

export interface TrainingBatch {
  readonly size: number;
  /** [size, dNum + dCat]: x_t, numeric values then one-hot classes. */
  readonly input: Float32Array;
  /** Sinusoidal features of the distinct timesteps drawn [k, TIME_DIM], and which of them each row has [size]. */
  readonly timeFeatures: Float32Array;
  readonly stepIndex: Int32Array;
  /** [size, dNum]: the noise the model should predict. */
  readonly noise: Float32Array;
  /** [size, dCat]: a f(c) and b f(c) / K, so the model's unnormalised posterior is p0 * mixScale + mixShift. */
  readonly mixScale: Float32Array;
  readonly mixShift: Float32Array;
  /** [size, dCat]: the true posterior q(c). */
  readonly target: Float32Array;
  /** Sum over the batch of q log q, so the loss can be reported as a KL divergence. */
  readonly targetNegEntropy: number;
}

export function buildBatch(
  data: EncodedRows,
  rows: ArrayLike<number>,
  dNum: number,
  spans: SpanGeometry,
  schedule: Schedule,
  timeTable: Float32Array,
  rng: Rng,
): TrainingBatch {
  const size = rows.length;
  const dCat = spans.width;
  const nSpans = spans.sizes.length;
  const width = dNum + dCat;
  const input = new Float32Array(size * width);
  const steps = Int32Array.from({ length: size }, () => rng.int(schedule.steps));
  const local = new Map<number, number>();
  for (const t of steps) if (!local.has(t)) local.set(t, local.size);
  const k = local.size;
  const timeFeatures = new Float32Array(k * TIME_DIM);
  for (const [t, index] of local)
    timeFeatures.set(timeTable.subarray(t * TIME_DIM, (t + 1) * TIME_DIM), index * TIME_DIM);
  const stepIndex = new Int32Array(size);
  const noise = new Float32Array(size * dNum);
  const mixScale = new Float32Array(size * dCat);
  const mixShift = new Float32Array(size * dCat);
  const target = new Float32Array(size * dCat);
  let targetNegEntropy = 0;
  for (let i = 0; i < size; i++) {
    const row = rows[i];
    const t = steps[i];
    stepIndex[i] = local.get(t)!;
    const alphaBar = schedule.alphaBar[t];
    const keep = Math.sqrt(alphaBar);
    const spread = Math.sqrt(1 - alphaBar);
    for (let j = 0; j < dNum; j += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
      const angle = 2 * Math.PI * rng.next();
      noise[i * dNum + j] = r * Math.cos(angle);
      if (j + 1 < dNum) noise[i * dNum + j + 1] = r * Math.sin(angle);
    }
    for (let j = 0; j < dNum; j++)
      input[i * width + j] = keep * data.numeric[row * dNum + j] + spread * noise[i * dNum + j];
    const a = t === 0 ? 1 : schedule.alphaBarPrev[t];
    const b = 1 - a;
    const alpha = schedule.alphas[t];
    for (let s = 0; s < nSpans; s++) {
      const k = spans.sizes[s];
      const base = i * dCat + spans.offsets[s];
      const c0 = data.classes[row * nSpans + s];
      // q(x_t | x_0): keep c0 with alpha-bar_t, otherwise uniform.
      const j = rng.next() < alphaBar ? c0 : rng.int(k);
      input[i * width + dNum + spans.offsets[s] + j] = 1;
      let total = 0;
      for (let c = 0; c < k; c++) {
        const f = t === 0 ? 1 : alpha * (c === j ? 1 : 0) + (1 - alpha) / k;
        mixScale[base + c] = a * f;
        mixShift[base + c] = (b / k) * f;
        const q = (a * (c === c0 ? 1 : 0) + b / k) * f;
        target[base + c] = q;
        total += q;
      }
      for (let c = 0; c < k; c++) {
        const q = (target[base + c] /= total);
        if (q > 0) targetNegEntropy += q * Math.log(q);
      }
    }
  }
  return {
    size,
    input,
    timeFeatures,
    stepIndex,
    noise,
    mixScale,
    mixShift,
    target,
    targetNegEntropy,
  };
}
