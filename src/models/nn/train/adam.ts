/**
 * Adam over one group's flat weights, as torch.optim computes it, in the fused engine's SIMD
 * kernels: decay 'decoupled' is AdamW (Loshchilov & Hutter: p -= lr*wd*p, then the
 * bias-corrected step), 'l2' is torch.optim.Adam's weight_decay (wd*p added to the gradient;
 * CTGAN and TVAE use it). Weights, gradient, moments and the weight average live in one linear
 * memory laid out once, so a step allocates nothing. Tested against a plain JS reference.
 */
import { KernelMemory, pad4 } from '../fused/kernels.js';

export interface AdamOptions {
  readonly weightDecay: number;
  /** How weight decay applies; 'decoupled' (AdamW) unless said. */
  readonly decay?: 'decoupled' | 'l2';
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Everything a step reads and writes: weights, moments, the average and the step count (for a restart, restart.ts). */
export interface AdamState {
  readonly weights: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly average: Float32Array | null;
  readonly step: number;
}

export class KernelAdam {
  /** The weights, stepped in place. */
  readonly weights: Float32Array;
  /** Where the caller puts the gradient each step takes. */
  readonly gradient: Float32Array;
  /** The exponential moving average of the weights (averageRate given), else null. */
  readonly average: Float32Array | null;
  private readonly mem = new KernelMemory();
  private readonly at: { w: number; g: number; m: number; v: number; avg: number };
  private readonly count: number;
  private step = 0;

  constructor(
    initial: Float32Array,
    private readonly options: AdamOptions,
    private readonly averageRate?: number,
  ) {
    const n = initial.length;
    // The kernels take multiples of 4; the padding stays 0 through every step.
    this.count = pad4(n);
    const keep = averageRate !== undefined;
    this.at = {
      w: this.mem.alloc(n),
      g: this.mem.alloc(n),
      m: this.mem.alloc(n),
      v: this.mem.alloc(n),
      avg: keep ? this.mem.alloc(n) : -1,
    };
    // Views last: growing the memory would detach earlier ones.
    const view = (at: number) => new Float32Array(this.mem.k.memory.buffer, at, n);
    this.weights = view(this.at.w);
    this.gradient = view(this.at.g);
    this.weights.set(initial);
    this.average = keep ? view(this.at.avg) : null;
    this.average?.set(initial);
  }

  /** A copy of the optimizer's state, which `restore` puts back exactly. */
  save(): AdamState {
    const { m, v } = this.moments();
    return {
      weights: this.weights.slice(),
      m: m.slice(),
      v: v.slice(),
      average: this.average?.slice() ?? null,
      step: this.step,
    };
  }

  restore(state: AdamState): void {
    const { m, v } = this.moments();
    this.weights.set(state.weights);
    m.set(state.m);
    v.set(state.v);
    if (state.average) this.average?.set(state.average);
    this.step = state.step;
  }

  private moments(): { m: Float32Array; v: Float32Array } {
    const n = this.weights.length;
    const view = (at: number) => new Float32Array(this.mem.k.memory.buffer, at, n);
    return { m: view(this.at.m), v: view(this.at.v) };
  }

  /** One step with `this.gradient` at learning rate `lr`; then the average follows. */
  apply(lr: number): void {
    const beta1 = this.options.beta1 ?? 0.9;
    const beta2 = this.options.beta2 ?? 0.999;
    const l2 = this.options.decay === 'l2';
    this.step++;
    const { w, g, m, v, avg } = this.at;
    this.mem.k.adam(
      w,
      g,
      m,
      v,
      this.count,
      lr / (1 - beta1 ** this.step),
      Math.sqrt(1 - beta2 ** this.step),
      beta1,
      beta2,
      this.options.epsilon ?? 1e-8,
      l2 ? 1 : 1 - lr * this.options.weightDecay,
      l2 ? this.options.weightDecay : 0,
    );
    if (this.average) this.mem.k.ema(avg, w, this.count, this.averageRate!);
  }
}
