/**
 * TabDDPM's mixed loss and its gradient with respect to the denoiser's output, computed by the
 * fused engine's `mixed_diffusion_loss` kernel (assembly/tabddpm-kernels.ts has the mathematics)
 * in a kernel instance of its own, whichever backend runs the network. Its buffers are laid out
 * once for the largest batch; the gradient it returns is a view, valid until the next call.
 */
import { KernelMemory } from '../nn/fused/kernels.js';
import type { LossGradient } from '../nn/net.js';
import { spanTable, type SpanGeometry, type TrainingBatch } from './batch.js';
import type { Schedule } from './schedule.js';

export class DiffusionLoss {
  private readonly mem = new KernelMemory();
  private readonly width: number;
  private readonly at: Record<
    'out' | 'grad' | 'noise' | 'steps' | 'trueClass' | 'noisedClass' | 'spans' | 'alphas' | 'alphaBarPrev' | 'scratch',
    number
  >;
  private readonly scratchSize: number;

  constructor(
    private readonly dNum: number,
    private readonly spans: SpanGeometry,
    private readonly schedule: Schedule,
    private readonly maxRows: number,
  ) {
    this.width = dNum + spans.width;
    const nSpans = spans.sizes.length;
    this.scratchSize = Math.max(1, ...spans.sizes);
    const alloc = (n: number) => this.mem.alloc(n);
    this.at = {
      out: alloc(maxRows * this.width),
      grad: alloc(maxRows * this.width),
      noise: alloc(maxRows * dNum),
      steps: alloc(maxRows),
      trueClass: alloc(maxRows * nSpans),
      noisedClass: alloc(maxRows * nSpans),
      spans: alloc(2 * nSpans),
      alphas: alloc(schedule.steps),
      alphaBarPrev: alloc(schedule.steps),
      // Two float64 arrays as wide as the largest span.
      scratch: alloc(4 * this.scratchSize),
    };
    this.mem.i32.set(spanTable(spans), this.at.spans / 4);
    this.mem.f32.set(schedule.alphas, this.at.alphas / 4);
    this.mem.f32.set(schedule.alphaBarPrev, this.at.alphaBarPrev / 4);
  }

  /** This batch's share of the loss over `batchSize` rows, and its gradient [rows, width]. */
  compute(output: Float32Array, batch: TrainingBatch, batchSize: number): LossGradient {
    const rows = batch.size;
    if (rows > this.maxRows) throw new Error(`a batch of ${rows} rows, more than the ${this.maxRows} laid out`);
    const { f32, i32 } = this.mem;
    const at = this.at;
    f32.set(output.subarray(0, rows * this.width), at.out / 4);
    f32.set(batch.noise, at.noise / 4);
    i32.set(batch.steps, at.steps / 4);
    i32.set(batch.trueClass, at.trueClass / 4);
    i32.set(batch.noisedClass, at.noisedClass / 4);
    const nSpans = this.spans.sizes.length;
    const loss = this.mem.k.mixed_diffusion_loss(
      at.out,
      at.grad,
      this.width,
      rows,
      this.dNum,
      at.noise,
      at.steps,
      at.trueClass,
      at.noisedClass,
      at.spans,
      nSpans,
      at.alphas,
      at.alphaBarPrev,
      this.dNum > 0 ? 1 / (batchSize * this.dNum) : 0,
      nSpans > 0 ? this.schedule.steps / (nSpans * batchSize) : 0,
      at.scratch,
      this.scratchSize,
    );
    return { loss, gradient: f32.subarray(at.grad / 4, at.grad / 4 + rows * this.width) };
  }
}
