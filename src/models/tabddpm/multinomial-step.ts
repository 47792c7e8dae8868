/**
 * The categorical half of a sampling step: each span's class drawn from the model's posterior
 * over the previous class, by the fused engine's `multinomial_reverse_step` kernel
 * (assembly/tabddpm-kernels.ts) in a kernel instance of its own, laid out once for the largest
 * batch. The uniform draws come from the sampler's seeded stream, so sampling repeats. A strided
 * sampler's jump over several steps is the same kernel with the skip-step coefficients (reverse-plan.ts).
 */
import type { Rng } from '../../core/rng.js';
import { KernelMemory } from '../nn/fused/kernels.js';
import { spanTable, type SpanGeometry } from './batch.js';
import type { ReverseJump } from './reverse-plan.js';
import type { Schedule } from './schedule.js';

export class MultinomialStep {
  private readonly mem = new KernelMemory();
  private readonly width: number;
  private readonly at: Record<'out' | 'classes' | 'spans' | 'uniforms' | 'scratch', number>;

  constructor(
    private readonly dNum: number,
    private readonly spans: SpanGeometry,
    private readonly schedule: Schedule,
    private readonly maxRows: number,
  ) {
    this.width = dNum + spans.width;
    const nSpans = spans.sizes.length;
    this.at = {
      out: this.mem.alloc(maxRows * this.width),
      classes: this.mem.alloc(maxRows * nSpans),
      spans: this.mem.alloc(2 * nSpans),
      uniforms: this.mem.alloc(maxRows * nSpans),
      scratch: this.mem.alloc(Math.max(1, ...spans.sizes)),
    };
    this.mem.i32.set(spanTable(spans), this.at.spans / 4);
  }

  /** Replaces `classes` [rows, spans] by a draw from the posterior at step t, given the network's output [rows, width]. */
  step(output: Float32Array, classes: Int32Array, rows: number, t: number, rng: Rng): void {
    const { schedule } = this;
    this.draw(output, classes, rows, t, schedule.alphas[t], t === 0 ? 1 : schedule.alphaBarPrev[t], rng);
  }

  /**
   * Replaces `classes` by a draw from the posterior of a jump t -> s (reverse-plan.ts): q(x_s | x_t, x0 ~ p0), whose
   * transition keeps the class with `jump.keep` and whose marginal keeps x0 with `jump.keepFromData`; to the data
   * (s = -1), a draw from p0. The jump t -> t - 1 of the full plan is exactly `step(t)`.
   */
  jump(output: Float32Array, classes: Int32Array, rows: number, jump: ReverseJump, rng: Rng): void {
    this.draw(output, classes, rows, jump.s < 0 ? 0 : jump.t, jump.keep, jump.keepFromData, rng);
  }

  /** The kernel reads t only as "the last step" (t = 0: draw from p0), and keep and keepFromData as its alpha and a. */
  private draw(
    output: Float32Array,
    classes: Int32Array,
    rows: number,
    t: number,
    keep: number,
    keepFromData: number,
    rng: Rng,
  ): void {
    if (rows > this.maxRows) throw new Error(`a batch of ${rows} rows, more than the ${this.maxRows} laid out`);
    const nSpans = this.spans.sizes.length;
    if (nSpans === 0) return;
    const { f32, i32 } = this.mem;
    const { at } = this;
    f32.set(output.subarray(0, rows * this.width), at.out / 4);
    i32.set(classes.subarray(0, rows * nSpans), at.classes / 4);
    const uniforms = f32.subarray(at.uniforms / 4, at.uniforms / 4 + rows * nSpans);
    for (let i = 0; i < uniforms.length; i++) uniforms[i] = rng.next();
    this.mem.k.multinomial_reverse_step(
      at.out,
      this.width,
      rows,
      this.dNum,
      at.classes,
      at.spans,
      nSpans,
      t,
      keep,
      keepFromData,
      at.uniforms,
      at.scratch,
    );
    classes.set(i32.subarray(at.classes / 4, at.classes / 4 + rows * nSpans));
  }
}
