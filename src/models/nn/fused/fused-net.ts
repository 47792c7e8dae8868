/**
 * The fused engine: a network of net/spec.ts run on the WebAssembly SIMD kernels, in one linear
 * memory laid out once (weights, a transposed copy of each kernel for the backward pass, and per
 * node its values and gradients for up to `capacity` rows). Widths are padded to a multiple of 4
 * with zeros that stay zero, so every row starts on a SIMD boundary.
 */
import { KernelMemory, pad4 } from './kernels.js';
import { nodeRows, type GradientOptions, type LossOf, type Net, type PenaltyOptions, type Seeds } from '../net.js';
import { checkPenaltyNet, penaltyDirections } from './penalty.js';
import {
  addColumns,
  addRowNormsSquared,
  addRowProducts,
  batchNormBackward,
  batchNormForward,
  copyColumns,
  scaleRows,
  type NormStats,
  type Strided,
} from './row-ops.js';
import {
  DEFAULT_SLOPE,
  DEFAULT_TAU,
  mixesRows,
  needsGradient,
  nodeWidths,
  paramBlocks,
  type ActivationKind,
  type HeadSpan,
  type NetInputs,
  type NetSpec,
} from '../spec.js';

const ACTIVATION_CODES: Record<ActivationKind, number> = { relu: 1, leaky_relu: 2, tanh: 3, silu: 4, sigmoid: 5 };
const SPAN_CODES: Record<HeadSpan['activation'], number> = { linear: 0, tanh: 1, softmax: 2, gumbel_softmax: 3 };

/** One xorshift stream per node and call, never 0. */
const stream = (seed: number, node: number): number => Math.imul(seed ^ (node * 0x9e3779b9), 0x85ebca6b) >>> 0 || 1;

interface DenseSlot {
  readonly node: number;
  /** The node it reads. */
  readonly from: number;
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

/** A batch norm's gamma and beta, their gradients, and the statistics its forward pass kept. */
interface NormSlot {
  readonly node: number;
  readonly width: number;
  readonly epsilon: number;
  readonly gamma: number;
  readonly beta: number;
  readonly dGamma: number;
  readonly dBeta: number;
  readonly stats: NormStats;
}

type ParamSlot = ({ readonly op: 'dense' } & DenseSlot) | ({ readonly op: 'batch_norm' } & NormSlot);

/** Per node, where its rows live: values, gradients, (dropout) mask, and the tangent of a gradient penalty. */
interface NodeBuffers {
  value: number;
  grad: number;
  mask: number;
  tangent: number;
}

const BATCH_NORM_EPSILON = 1e-5;

export class FusedNet implements Net {
  readonly mem = new KernelMemory();
  private readonly widths: number[];
  private readonly lds: number[];
  private readonly needs: boolean[];
  private readonly dense: DenseSlot[] = [];
  private readonly denseOf = new Map<number, DenseSlot>();
  private readonly norms = new Map<number, NormSlot>();
  /** Dense and batch norm slots in node order: the flat weight layout. */
  private readonly params: ParamSlot[] = [];
  /** The input whose gradient a penalty takes, when this network can compute one (else -1). */
  private readonly penaltyInput: number;
  /** Set by a per-example gradient pass: the weight gradients wait for `accumulate`. */
  private deferred = false;
  /**
   * Set when a per-example penalty joined a per-example gradient pass: per dense layer, copies of
   * that pass's input values and output gradients ([rows, ld]); the penalty's tangents and
   * gradients stay in the node buffers.
   */
  private joined: { values: Float32Array; grads: Float32Array }[] | null = null;
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
    this.penaltyInput = training ? checkPenaltyNet(spec, this.widths) : -1;
    for (const block of paramBlocks(spec)) {
      const node = spec.nodes[block.node];
      if (node.op !== 'batch_norm') continue;
      const ld = this.lds[block.node];
      const slot: NormSlot = {
        node: block.node,
        width: block.cols,
        epsilon: node.epsilon ?? BATCH_NORM_EPSILON,
        gamma: this.mem.alloc(ld),
        beta: this.mem.alloc(ld),
        dGamma: training ? this.mem.alloc(ld) : -1,
        dBeta: training ? this.mem.alloc(ld) : -1,
        stats: { mean: new Float64Array(block.cols), invStd: new Float64Array(block.cols) },
      };
      this.norms.set(block.node, slot);
    }
    spec.nodes.forEach((node, i) => {
      if (node.op === 'batch_norm') this.params.push({ op: 'batch_norm', ...this.norms.get(i)! });
      if (node.op !== 'dense') return;
      const inLd = this.lds[node.from];
      const outLd = this.lds[i];
      const slot: DenseSlot = {
        node: i,
        from: node.from,
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
      this.params.push({ op: 'dense', ...slot });
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
    for (const p of this.params) {
      if (p.op === 'batch_norm') {
        f32.set(flat.subarray(at, at + p.width), p.gamma / 4);
        f32.set(flat.subarray(at + p.width, at + 2 * p.width), p.beta / 4);
        at += 2 * p.width;
        continue;
      }
      for (let r = 0; r < p.fanIn; r++)
        f32.set(flat.subarray(at + r * p.fanOut, at + (r + 1) * p.fanOut), p.kernel / 4 + r * p.outLd);
      at += p.fanIn * p.fanOut;
      f32.set(flat.subarray(at, at + p.fanOut), p.bias / 4);
      at += p.fanOut;
      if (this.training) k.transpose(p.kernel, p.outLd, p.transposed, p.inLd, p.inLd, p.outLd);
    }
    if (at !== flat.length) throw new Error(`the network has ${at} weights, not ${flat.length}`);
  }

  forward(inputs: NetInputs, seed: Seeds = 0): Float32Array {
    this.run(inputs, false, seed);
    return this.output();
  }

  gradient(
    inputs: NetInputs,
    dropoutSeed: Seeds,
    lossOf: LossOf,
    into: Float32Array,
    options: GradientOptions = {},
  ): number {
    if (!this.training) throw new Error('a forward-only network has no gradients');
    if (options.perExample && mixesRows(this.spec))
      throw new Error('per-example gradients need rows that are examples: this network gathers or normalises rows');
    this.run(inputs, true, dropoutSeed);
    const out = this.spec.output;
    const rows = this.rows[out];
    const { loss, gradient } = lossOf(this.output(), rows);
    if (gradient.length !== rows * this.widths[out])
      throw new Error(`the loss gradient holds ${gradient.length} values, not ${rows} rows of ${this.widths[out]}`);
    this.zeroGradients();
    this.writeRows(out, 'grad', gradient);
    this.deferred = options.perExample === true;
    this.joined = null;
    this.backward(!this.deferred);
    if (!this.deferred) this.readGradients(into);
    return loss;
  }

  exampleNorms(): Float64Array {
    if (!this.deferred) throw new Error('exampleNorms follows a gradient pass with perExample');
    const f32 = this.mem.f32;
    const rows = this.rows[this.spec.output];
    const norms = new Float64Array(rows);
    const inputSquares = new Float64Array(rows);
    // A row's weight gradient of a dense layer is the outer product x_r dy_r, plus dy_r for the bias.
    this.dense.forEach((d, l) => {
      const m = this.rows[d.node];
      const pass = this.joined?.[l];
      const values = pass ? { at: 0, ld: d.inLd } : this.strided(d.from, 'value');
      const grads = pass ? { at: 0, ld: d.outLd } : this.strided(d.node, 'grad');
      inputSquares.fill(1);
      addRowNormsSquared(pass?.values ?? f32, values, m, d.fanIn, inputSquares);
      addRowNormsSquared(pass?.grads ?? f32, grads, m, d.fanOut, norms, inputSquares);
      if (!pass) return;
      // Joined by a penalty's t_r e_r (no bias term): |x dy^T + t e^T|^2 adds |t|^2 |e|^2 + 2 (x.t)(dy.e).
      const tangent = this.strided(d.from, 'tangent');
      const penaltyGrads = this.strided(d.node, 'grad');
      const tangentSquares = new Float64Array(m);
      addRowNormsSquared(f32, tangent, m, d.fanIn, tangentSquares);
      addRowNormsSquared(f32, penaltyGrads, m, d.fanOut, norms, tangentSquares);
      const inputDots = new Float64Array(m);
      addRowProducts(pass.values, values, f32, tangent, m, d.fanIn, inputDots);
      const gradDots = new Float64Array(m);
      addRowProducts(pass.grads, grads, f32, penaltyGrads, m, d.fanOut, gradDots);
      for (let r = 0; r < m; r++) norms[r] += 2 * inputDots[r] * gradDots[r];
    });
    return norms;
  }

  accumulate(scale: Float32Array, into: Float32Array): void {
    if (!this.deferred) throw new Error('accumulate follows a gradient pass with perExample');
    this.deferred = false;
    const { k } = this.mem;
    const joined = this.joined;
    this.joined = null;
    this.dense.forEach((d, l) => {
      const m = this.rows[d.node];
      if (scale.length !== m) throw new Error(`accumulate needs ${m} row scales, not ${scale.length}`);
      const dy = this.buffers[d.node].grad;
      const pass = joined?.[l];
      if (pass) {
        // The penalty's part, T^T diag(scale) E, then the first pass's copies back in place for its part.
        scaleRows(this.mem.f32, this.strided(d.node, 'grad'), m, d.fanOut, scale);
        const t = this.buffers[d.from].tangent;
        k.gemm(t, 1, d.inLd, dy, d.outLd, d.dKernel, d.outLd, d.inLd, d.outLd, m, 0);
        this.mem.f32.set(pass.grads, dy / 4);
        this.mem.f32.set(pass.values, this.buffers[d.from].value / 4);
      }
      scaleRows(this.mem.f32, this.strided(d.node, 'grad'), m, d.fanOut, scale);
      const x = this.buffers[d.from].value;
      k.gemm(x, 1, d.inLd, dy, d.outLd, d.dKernel, d.outLd, d.inLd, d.outLd, m, pass ? 1 : 0);
      k.column_sums(dy, d.outLd, m, d.outLd, d.dBias);
    });
    this.readGradients(into);
  }

  inputGradient(name: string): Float32Array {
    const index = this.spec.nodes.findIndex((n) => n.op === 'input' && n.name === name);
    if (index < 0 || !this.needs[index]) throw new Error(`the network keeps no gradient for input '${name}'`);
    return this.readRows(index, 'grad');
  }

  gradientPenalty(inputs: NetInputs, seed: Seeds, into: Float32Array, options: PenaltyOptions = {}): number {
    const x = this.penaltyInput;
    if (x < 0) throw new Error('a gradient penalty needs a piecewise-linear network with one output column');
    const weight = options.weight ?? 1;
    const joined = options.perExample ? this.copyDeferredPass(inputs) : null;
    this.joined = null;
    this.deferred = false;
    this.run(inputs, true, seed);
    const out = this.spec.output;
    const m = this.rows[out];
    this.zeroGradients();
    this.writeRows(out, 'grad', new Float32Array(m).fill(1));
    this.backward(false);
    // g_r = d out_r / d x_r; the penalty's gradient is that of sum_r <g_r(W), v_r> with v = dP/dg held fixed.
    const { penalty, directions } = penaltyDirections(this.readRows(x, 'grad'), m, this.widths[x]);
    // Per example, each row's term is its own loss: the sum, not the mean, over rows.
    const factor = joined ? weight * m : weight;
    for (let i = 0; i < directions.length; i++) directions[i] *= factor;
    this.tangentForward(x, directions);
    if (joined) {
      this.joined = joined;
      this.deferred = true;
      return factor * penalty;
    }
    const { k } = this.mem;
    for (const d of this.dense) {
      const t = this.buffers[d.from].tangent;
      k.gemm(
        t,
        1,
        d.inLd,
        this.buffers[d.node].grad,
        d.outLd,
        d.dKernel,
        d.outLd,
        d.inLd,
        d.outLd,
        this.rows[d.node],
        0,
      );
      // A bias shifts the net but not its input gradient (the network is piecewise linear).
      k.zero(d.dBias, d.outLd);
    }
    this.readGradients(into);
    return factor * penalty;
  }

  /** Before a penalty joins it: the deferred pass's per-layer inputs and output gradients, copied out. */
  private copyDeferredPass(inputs: NetInputs): { values: Float32Array; grads: Float32Array }[] {
    if (!this.deferred || this.joined)
      throw new Error('a per-example penalty joins a gradient pass with perExample, just before it');
    const m = this.rows[this.spec.output];
    if (nodeRows(this.spec, this.widths, inputs)[this.spec.output] !== m)
      throw new Error(`a per-example penalty needs the ${m} rows of the gradient pass it joins`);
    const f32 = this.mem.f32;
    return this.dense.map((d) => {
      const values = this.buffers[d.from].value / 4;
      const grads = this.buffers[d.node].grad / 4;
      return {
        values: f32.slice(values, values + m * d.inLd),
        grads: f32.slice(grads, grads + m * d.outLd),
      };
    });
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
          tangent: this.penaltyInput >= 0 ? this.mem.alloc(size) : -1,
        };
      });
    } catch (error) {
      this.mem.release(this.rowsMark);
      throw error;
    }
    this.buffers = buffers;
    this.capacity = rows;
  }

  private run(inputs: NetInputs, training: boolean, seed: Seeds): void {
    const rows = nodeRows(this.spec, this.widths, inputs);
    this.reserve(Math.max(...rows));
    this.rows = rows;
    const { k } = this.mem;
    // A node's random draws: from one stream over all its rows, or row by row from each row's own.
    const draw = (i: number, m: number, ld: number, kernel: (offset: number, rows: number, stream: number) => void) => {
      if (typeof seed === 'number') return kernel(0, m, stream(seed, i));
      if (seed.length !== m) throw new Error(`node ${i} has ${m} rows but ${seed.length} per-row seeds`);
      for (let r = 0; r < m; r++) kernel(4 * r * ld, 1, stream(seed[r], i));
    };
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
          draw(i, m, ld, (at, n, s) =>
            k.span_activate(
              this.buffers[node.from].value + at,
              out + at,
              this.buffers[i].mask + at,
              ld,
              n,
              this.spanTables.get(i)!,
              node.spans.length,
              node.tau ?? DEFAULT_TAU,
              s,
            ),
          );
          break;
        case 'dropout':
          if (training && node.rate > 0) {
            const rate = node.rate;
            draw(i, m, ld, (at, n, s) =>
              k.dropout(
                this.buffers[node.from].value + at,
                out + at,
                this.buffers[i].mask + at,
                ld,
                n,
                this.widths[i],
                rate,
                s,
              ),
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
        case 'concat': {
          let offset = 0;
          for (const from of node.from) {
            copyColumns(
              this.mem.f32,
              this.strided(from, 'value'),
              this.strided(i, 'value'),
              m,
              this.widths[from],
              offset,
            );
            offset += this.widths[from];
          }
          break;
        }
        case 'batch_norm': {
          const n = this.norms.get(i)!;
          const f32 = this.mem.f32;
          const [x, y] = [this.strided(node.from, 'value'), this.strided(i, 'value')];
          batchNormForward(f32, x, y, m, n.width, n.gamma / 4, n.beta / 4, n.epsilon, n.stats);
          break;
        }
      }
    });
  }

  /** The linearised network along `directions` at the inputs of the last run: tangents of each node, no biases. */
  private tangentForward(input: number, directions: Float32Array): void {
    const { k } = this.mem;
    const f32 = this.mem.f32;
    this.spec.nodes.forEach((node, i) => {
      const t = this.buffers[i].tangent;
      const ld = this.lds[i];
      const m = this.rows[i];
      k.zero(t, m * ld);
      switch (node.op) {
        case 'input':
          if (i === input) this.writeRows(i, 'tangent', directions);
          break;
        case 'dense': {
          const d = this.denseOf.get(i)!;
          k.gemm(this.buffers[node.from].tangent, d.inLd, 1, d.kernel, d.outLd, t, ld, m, d.outLd, d.inLd, 0);
          break;
        }
        case 'activation':
          // The activation's slope at the point (piecewise constant), times the tangent.
          k.activate_backward(
            this.buffers[node.from].value,
            this.buffers[i].value,
            this.buffers[node.from].tangent,
            t,
            ld,
            m,
            this.widths[i],
            ACTIVATION_CODES[node.kind],
            node.slope ?? DEFAULT_SLOPE,
          );
          break;
        case 'dropout':
          if (node.rate > 0) k.dropout_backward(this.buffers[node.from].tangent, this.buffers[i].mask, t, m * ld);
          else k.accumulate(this.buffers[node.from].tangent, t, m * ld);
          break;
        case 'add':
          k.add(this.buffers[node.from[0]].tangent, this.buffers[node.from[1]].tangent, t, m * ld);
          break;
        case 'concat': {
          let offset = 0;
          for (const from of node.from) {
            copyColumns(f32, this.strided(from, 'tangent'), this.strided(i, 'tangent'), m, this.widths[from], offset);
            offset += this.widths[from];
          }
          break;
        }
        default:
          throw new Error(`a gradient penalty cannot pass a '${node.op}' node`);
      }
    });
  }

  private strided(node: number, buffer: 'value' | 'grad' | 'tangent'): Strided {
    return { at: this.buffers[node][buffer] / 4, ld: this.lds[node] };
  }

  /** Writes dense rows [m, width] into a node's buffer; the padding columns stay as zeroed. */
  private writeRows(node: number, buffer: 'grad' | 'tangent', rows: Float32Array): void {
    const f32 = this.mem.f32;
    const width = this.widths[node];
    const { at, ld } = this.strided(node, buffer);
    for (let r = 0; r < this.rows[node]; r++) f32.set(rows.subarray(r * width, (r + 1) * width), at + r * ld);
  }

  /** A node's rows of a buffer as a dense [m, width] copy. */
  private readRows(node: number, buffer: 'value' | 'grad'): Float32Array {
    const f32 = this.mem.f32;
    const width = this.widths[node];
    const { at, ld } = this.strided(node, buffer);
    const rows = new Float32Array(this.rows[node] * width);
    for (let r = 0; r < this.rows[node]; r++) rows.set(f32.subarray(at + r * ld, at + r * ld + width), r * width);
    return rows;
  }

  private zeroGradients(): void {
    const { k } = this.mem;
    this.spec.nodes.forEach((_, i) => {
      if (this.needs[i]) k.zero(this.buffers[i].grad, this.rows[i] * this.lds[i]);
    });
    for (const d of this.dense) k.zero(d.dBias, d.outLd);
  }

  /** `weights` false: only the node gradients (a per-example pass or a penalty computes the weights' own way). */
  private backward(weights = true): void {
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
          if (weights) {
            k.gemm(x, 1, d.inLd, dy, d.outLd, d.dKernel, d.outLd, d.inLd, d.outLd, m, 0);
            k.column_sums(dy, ld, m, d.outLd, d.dBias);
          }
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
          // A rate of 0 copied its input forward and drew no mask.
          if (dx >= 0 && node.rate > 0) k.dropout_backward(dy, this.buffers[i].mask, dx, m * ld);
          else if (dx >= 0) k.accumulate(dy, dx, m * ld);
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
        case 'concat': {
          let offset = 0;
          for (const from of node.from) {
            if (into(from) >= 0)
              addColumns(
                this.mem.f32,
                this.strided(i, 'grad'),
                offset,
                this.strided(from, 'grad'),
                m,
                this.widths[from],
              );
            offset += this.widths[from];
          }
          break;
        }
        case 'batch_norm': {
          const n = this.norms.get(i)!;
          const dx = into(node.from) >= 0 ? this.strided(node.from, 'grad') : undefined;
          const x = this.strided(node.from, 'value');
          batchNormBackward(
            this.mem.f32,
            x,
            this.strided(i, 'grad'),
            dx,
            m,
            n.width,
            n.gamma / 4,
            n.dGamma / 4,
            n.dBeta / 4,
            n.stats,
          );
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
    for (const p of this.params) {
      if (p.op === 'batch_norm') {
        into.set(f32.subarray(p.dGamma / 4, p.dGamma / 4 + p.width), at);
        into.set(f32.subarray(p.dBeta / 4, p.dBeta / 4 + p.width), at + p.width);
        at += 2 * p.width;
        continue;
      }
      for (let r = 0; r < p.fanIn; r++)
        into.set(f32.subarray(p.dKernel / 4 + r * p.outLd, p.dKernel / 4 + r * p.outLd + p.fanOut), at + r * p.fanOut);
      at += p.fanIn * p.fanOut;
      into.set(f32.subarray(p.dBias / 4, p.dBias / 4 + p.fanOut), at);
      at += p.fanOut;
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
