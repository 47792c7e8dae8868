/**
 * AdamW (Loshchilov & Hutter) over one flat array of weights, as torch.optim.AdamW computes it:
 * decoupled decay p -= lr*wd*p, then the bias-corrected Adam step. Plain JS: on wasm, one loop
 * over ~10^5 floats costs less than the ~200 small tensor ops the same update takes in tfjs.
 */
export interface AdamWOptions {
  readonly weightDecay: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export class FlatAdamW {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private step = 0;

  constructor(
    readonly weights: Float32Array,
    private readonly options: AdamWOptions,
  ) {
    this.m = new Float32Array(weights.length);
    this.v = new Float32Array(weights.length);
  }

  apply(grads: Float32Array, lr: number): void {
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const epsilon = this.options.epsilon ?? 1e-8;
    this.step++;
    const stepSize = lr / (1 - beta1 ** this.step);
    const rootCorrection = Math.sqrt(1 - beta2 ** this.step);
    const decay = 1 - lr * this.options.weightDecay;
    const { weights, m, v } = this;
    for (let i = 0; i < weights.length; i++) {
      const g = grads[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
      weights[i] = weights[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / rootCorrection + epsilon);
    }
  }
}

/** average = rate * average + (1 - rate) * weights: the copy TabDDPM samples with. */
export function updateAverage(average: Float32Array, weights: Float32Array, rate: number): void {
  for (let i = 0; i < average.length; i++) average[i] = rate * average[i] + (1 - rate) * weights[i];
}
