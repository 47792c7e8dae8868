/**
 * The fused engine: a network of net/spec.ts run on the WebAssembly SIMD kernels, in one linear
 * memory laid out once (weights, a transposed copy of each kernel for the backward pass, and per
 * node its values and gradients for up to `capacity` rows). Widths are padded to a multiple of 4
 * with zeros that stay zero, so every row starts on a SIMD boundary.
 */
import { KernelMemory, pad4 } from '../fused/kernels.js';
import { nodeRows, type LossOf, type Net } from './net.js';
import {
  DEFAULT_SLOPE,
  DEFAULT_TAU,
  needsGradient,
  nodeWidths,
  type ActivationKind,
  type HeadSpan,
  type NetInputs,
  type NetSpec,
} from './spec.js';

const ACTIVATION_CODES: Record<ActivationKind, number> = { relu: 1, leaky_relu: 2, tanh: 3, silu: 4, sigmoid: 5 };
const SPAN_CODES: Record<HeadSpan['activation'], number> = { linear: 0, tanh: 1, softmax: 2, gumbel_softmax: 3 };

/** One xorshift stream per node and call, never 0. */
const stream = (seed: number, node: number): number => Math.imul(seed ^ (node * 0x9e3779b9), 0x85ebca6b) >>> 0 || 1;

interface DenseSlot {
  readonly node: number;
  readonly fanIn: number;
  readonly fanOut: number;
  readonly inLd: number;
  readonly outLd: number;
  /** Byte offsets of the kernel [inLd, outLd], its transpose [outLd, inLd], the bias, and their gradients. */
  readonly kernel: number;
  readonly transposed: number;
  readonly bias: number;
  readonly dKernel: number;
  readonly dBias: number;
}

/** Per node, where its rows live: values, gradients and (dropout) mask. */
interface NodeBuffers {
  value: number;
  grad: number;
  mask: number;
}

export class FusedNet implements Net {
  readonly mem = new KernelMemory();
  private readonly widths: number[];
  private readonly lds: number[];
  private readonly needs: boolean[];
  private readonly dense: DenseSlot[] = [];
  private readonly denseOf = new Map<number, DenseSlot>();
  /** Per head node, its (offset, size, kind) table in memory. */
  private readonly spanTables = new Map<number, number>();
  private readonly rowsMark: number;
  private buffers: NodeBuffers[] = [];
  private capacity = 0;
  private rows: number[] = [];
  private outputCopy = new Float32Array(0);

  /** `training` false: a forward-only network (sampling), without gradients or transposed kernels. */
  constructor(
    readonly spec: NetSpec,
    initial: Float32Array,
    private readonly training = true,
  ) {
    this.widths = nodeWidths(spec);
    this.lds = this.widths.map((w) => pad4(Math.max(w, 1)));
    this.needs = training ? needsGradient(spec) : spec.nodes.map(() => false);
    spec.nodes.forEach((node, i) => {
      if (node.op !== 'dense') return;
      const inLd = this.lds[node.from];
      const outLd = this.lds[i];
      const slot: DenseSlot = {
        node: i,
        fanIn: this.widths[node.from],
        fanOut: node.width,
        inLd,
        outLd,
        kernel: this.mem.alloc(inLd * outLd),
        transposed: training ? this.mem.alloc(inLd * outLd) : -1,
        bias: this.mem.alloc(outLd),
        dKernel: training ? this.mem.alloc(inLd * outLd) : -1,
        dBias: training ? this.mem.alloc(outLd) : -1,
      };
      this.dense.push(slot);
      this.denseOf.set(i, slot);
    });
    spec.nodes.forEach((node, i) => {
      if (node.op !== 'head') return;
      const table = this.mem.alloc(node.spans.length * 3);
      let offset = 0;
      node.spans.forEach((span, p) => {
        this.mem.i32.set([offset, span.size, SPAN_CODES[span.activation]], table / 4 + p * 3);
        offset += span.size;
      });
      this.spanTables.set(i, table);
    });
    this.rowsMark = this.mem.mark;
    this.setWeights(initial);
  }

  setWeights(flat: Float32Array): void {
    const { k } = this.mem;
    const f32 = this.mem.f32;
    let at = 0;
    for (const d of this.dense) {
      for (let r = 0; r < d.fanIn; r++)
        f32.set(flat.subarray(at + r * d.fanOut, at + (r + 1) * d.fanOut), d.kernel / 4 + r * d.outLd);
      at += d.fanIn * d.fanOut;
      f32.set(flat.subarray(at, at + d.fanOut), d.bias / 4);
      at += d.fanOut;
      if (this.training) k.transpose(d.kernel, d.outLd, d.transposed, d.inLd, d.inLd, d.outLd);
    }
    if (at !== flat.length) throw new Error(`the network has ${at} weights, not ${flat.length}`);
  }

  forward(inputs: NetInputs, seed = 0): Float32Array {
    this.run(inputs, false, seed);
    return this.output();
  }

  gradient(inputs: NetInputs, dropoutSeed: number, lossOf: LossOf, into: Float32Array): number {
    if (!this.training) throw new Error('a forward-only network has no gradients');
    this.run(inputs, true, dropoutSeed);
    const out = this.spec.output;
    const rows = this.rows[out];
    const { loss, gradient } = lossOf(this.output(), rows);
    const f32 = this.mem.f32;
    const width = this.widths[out];
    const ld = this.lds[out];
    const grad = this.buffers[out].grad / 4;
    // The padding columns of the output gradient stay 0, as the zeroing below left them.
    this.zeroGradients();
    for (let r = 0; r < rows; r++) f32.set(gradient.subarray(r * width, (r + 1) * width), grad + r * ld);
    this.backward();
    this.readGradients(into);
    return loss;
  }

  dispose(): void {
    this.mem.release(this.rowsMark);
    this.buffers = [];
    this.capacity = 0;
  }

  /** Bytes of linear memory the network holds (for the no-growth test and the benchmark). */
  get memoryBytes(): number {
    return this.mem.k.memory.buffer.byteLength;
  }

  /** Lays out each node's row buffers for `rows` rows when more are needed than fit. */
  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.mem.release(this.rowsMark);
    this.capacity = 0;
    this.buffers = [];
    // Capacity only once every buffer is laid out: a failed allocation leaves the network empty, not half laid out.
    let buffers: NodeBuffers[];
    try {
      buffers = this.spec.nodes.map((node, i) => {
        const size = node.op === 'index' ? pad4(rows) : rows * this.lds[i];
        return {
          value: this.mem.alloc(size),
          grad: this.needs[i] ? this.mem.alloc(size) : -1,
          // A dropout's mask, or a head's Gumbel noise.
          mask: node.op === 'dropout' || node.op === 'head' ? this.mem.alloc(size) : -1,
        };
      });
    } catch (error) {
      this.mem.release(this.rowsMark);
      throw error;
    }
    this.buffers = buffers;
    this.capacity = rows;
  }

  private run(inputs: NetInputs, training: boolean, seed: number): void {
    const rows = nodeRows(this.spec, this.widths, inputs);
    this.reserve(Math.max(...rows));
    this.rows = rows;
    const { k } = this.mem;
    this.spec.nodes.forEach((node, i) => {
      const out = this.buffers[i].value;
      const ld = this.lds[i];
      const m = rows[i];
      switch (node.op) {
        case 'input': {
          const data = inputs[node.name] as Float32Array;
          const f32 = this.mem.f32;
          const w = this.widths[i];
          if (w === ld) f32.set(data, out / 4);
          else for (let r = 0; r < m; r++) f32.set(data.subarray(r * w, (r + 1) * w), out / 4 + r * ld);
          break;
        }
        case 'index': {
          const data = inputs[node.name];
          this.mem.i32.set(data, out / 4);
          break;
        }
        case 'dense': {
          const d = this.denseOf.get(i)!;
          k.gemm(this.buffers[node.from].value, d.inLd, 1, d.kernel, d.outLd, out, ld, m, d.outLd, d.inLd, 0);
          k.add_bias(out, ld, m, d.outLd, d.bias);
          break;
        }
        case 'activation':
          k.activate(
            this.buffers[node.from].value,
            out,
            ld,
            m,
            this.widths[i],
            ACTIVATION_CODES[node.kind],
            node.slope ?? DEFAULT_SLOPE,
          );
          break;
        case 'head':
          k.span_activate(
            this.buffers[node.from].value,
            out,
            this.buffers[i].mask,
            ld,
            m,
            this.spanTables.get(i)!,
            node.spans.length,
            node.tau ?? DEFAULT_TAU,
            stream(seed, i),
          );
          break;
        case 'dropout':
          if (training && node.rate > 0) {
            k.dropout(
              this.buffers[node.from].value,
              out,
              this.buffers[i].mask,
              ld,
              m,
              this.widths[i],
              node.rate,
              stream(seed, i),
            );
          } else
            this.mem.f32.copyWithin(
              out / 4,
              this.buffers[node.from].value / 4,
              this.buffers[node.from].value / 4 + m * ld,
            );
          break;
        case 'add':
          k.add(this.buffers[node.from[0]].value, this.buffers[node.from[1]].value, out, m * ld);
          break;
        case 'gather':
          k.gather_rows(this.buffers[node.from].value, this.buffers[node.index].value, m, ld, out);
          break;
      }
    });
  }

  private zeroGradients(): void {
    const { k } = this.mem;
    this.spec.nodes.forEach((_, i) => {
      if (this.needs[i]) k.zero(this.buffers[i].grad, this.rows[i] * this.lds[i]);
    });
    for (const d of this.dense) k.zero(d.dBias, d.outLd);
  }

  private backward(): void {
    const { k } = this.mem;
    for (let i = this.spec.nodes.length - 1; i >= 0; i--) {
      if (!this.needs[i]) continue;
      const node = this.spec.nodes[i];
      const dy = this.buffers[i].grad;
      const ld = this.lds[i];
      const m = this.rows[i];
      const into = (from: number): number => (this.needs[from] ? this.buffers[from].grad : -1);
      switch (node.op) {
        case 'dense': {
          const d = this.denseOf.get(i)!;
          const x = this.buffers[node.from].value;
          // dW = X^T dZ (every dense node owns its weights, so this overwrites), db = column sums.
          k.gemm(x, 1, d.inLd, dy, d.outLd, d.dKernel, d.outLd, d.inLd, d.outLd, m, 0);
          k.column_sums(dy, ld, m, d.outLd, d.dBias);
          const dx = into(node.from);
          if (dx >= 0) k.gemm(dy, d.outLd, 1, d.transposed, d.inLd, dx, d.inLd, m, d.inLd, d.outLd, 1);
          break;
        }
        case 'activation': {
          const dx = into(node.from);
          if (dx >= 0) {
            const x = this.buffers[node.from].value;
            k.activate_backward(
              x,
              this.buffers[i].value,
              dy,
              dx,
              ld,
              m,
              this.widths[i],
              ACTIVATION_CODES[node.kind],
              node.slope ?? DEFAULT_SLOPE,
            );
          }
          break;
        }
        case 'dropout': {
          const dx = into(node.from);
          if (dx >= 0) k.dropout_backward(dy, this.buffers[i].mask, dx, m * ld);
          break;
        }
        case 'add':
          for (const from of node.from) {
            const dx = into(from);
            if (dx >= 0) k.accumulate(dy, dx, m * ld);
          }
          break;
        case 'gather': {
          const dx = into(node.from);
          if (dx >= 0) k.scatter_add_rows(dy, this.buffers[node.index].value, m, ld, dx);
          break;
        }
        case 'head': {
          const dx = into(node.from);
          const table = this.spanTables.get(i)!;
          if (dx >= 0)
            k.span_activate_backward(
              this.buffers[i].value,
              dy,
              dx,
              ld,
              m,
              table,
              node.spans.length,
              node.tau ?? DEFAULT_TAU,
            );
          break;
        }
      }
    }
  }

  private readGradients(into: Float32Array): void {
    const f32 = this.mem.f32;
    let at = 0;
    for (const d of this.dense) {
      for (let r = 0; r < d.fanIn; r++)
        into.set(f32.subarray(d.dKernel / 4 + r * d.outLd, d.dKernel / 4 + r * d.outLd + d.fanOut), at + r * d.fanOut);
      at += d.fanIn * d.fanOut;
      into.set(f32.subarray(d.dBias / 4, d.dBias / 4 + d.fanOut), at);
      at += d.fanOut;
    }
  }

  private output(): Float32Array {
    const out = this.spec.output;
    const rows = this.rows[out];
    const width = this.widths[out];
    const ld = this.lds[out];
    if (this.outputCopy.length !== rows * width) this.outputCopy = new Float32Array(rows * width);
    const f32 = this.mem.f32;
    const at = this.buffers[out].value / 4;
    for (let r = 0; r < rows; r++) this.outputCopy.set(f32.subarray(at + r * ld, at + r * ld + width), r * width);
    return this.outputCopy;
  }
}
