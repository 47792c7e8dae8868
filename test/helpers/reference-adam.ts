/**
 * The plain-JS reference the engine's SIMD Adam (src/models/nn/train/adam.ts) is tested against:
 * Adam over one flat array of weights, as torch.optim computes it, in double precision. Decay 'decoupled' is AdamW
 * (Loshchilov & Hutter): p -= lr*wd*p, then the bias-corrected Adam step. Decay 'l2' is
 * torch.optim.Adam's weight_decay, which adds wd*p to the gradient (CTGAN and TVAE use it).
 */
import type { AdamOptions } from '../../src/models/nn/train/adam.js';

export class FlatAdamW {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private step = 0;

  constructor(
    readonly weights: Float32Array,
    private readonly options: AdamOptions,
  ) {
    this.m = new Float32Array(weights.length);
    this.v = new Float32Array(weights.length);
  }

  apply(grads: Float32Array, lr: number): void {
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const epsilon = this.options.epsilon ?? 1e-8;
    const l2 = this.options.decay === 'l2' ? this.options.weightDecay : 0;
    this.step++;
    const stepSize = lr / (1 - beta1 ** this.step);
    const rootCorrection = Math.sqrt(1 - beta2 ** this.step);
    const decay = l2 ? 1 : 1 - lr * this.options.weightDecay;
    const { weights, m, v } = this;
    for (let i = 0; i < weights.length; i++) {
      const g = l2 ? grads[i] + l2 * weights[i] : grads[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
      weights[i] = weights[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / rootCorrection + epsilon);
    }
  }
}

/** average = rate * average + (1 - rate) * weights: the exponential moving average of the weights. */
export function updateAverage(average: Float32Array, weights: Float32Array, rate: number): void {
  for (let i = 0; i < average.length; i++) average[i] = rate * average[i] + (1 - rate) * weights[i];
}
