/**
 * The fused engine's WebAssembly kernels (assembly/fused-kernels.ts, compiled to SIMD by
 * scripts/build-fused-kernels.ts), one instance with its own linear memory per network, and a
 * bump allocator over that memory: a network lays out every buffer once and never allocates
 * while it trains.
 */
import { usageError } from '../../../core/errors.js';
import { FUSED_KERNELS_WASM } from './kernels.wasm.js';

type Ptr = number;

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  gemm(
    a: Ptr,
    ars: number,
    acs: number,
    b: Ptr,
    ldb: number,
    c: Ptr,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: number,
  ): void;
  transpose(src: Ptr, lds: number, dst: Ptr, ldd: number, rows: number, cols: number): void;
  add_bias(y: Ptr, ld: number, m: number, n: number, bias: Ptr): void;
  column_sums(dy: Ptr, ld: number, m: number, n: number, out: Ptr): void;
  add(x: Ptr, z: Ptr, y: Ptr, count: number): void;
  accumulate(x: Ptr, y: Ptr, count: number): void;
  gather_rows(table: Ptr, index: Ptr, m: number, ld: number, out: Ptr): void;
  scatter_add_rows(dout: Ptr, index: Ptr, m: number, ld: number, dtable: Ptr): void;
  activate(x: Ptr, y: Ptr, ld: number, m: number, n: number, kind: number, slope: number): void;
  activate_backward(
    x: Ptr,
    y: Ptr,
    dy: Ptr,
    dx: Ptr,
    ld: number,
    m: number,
    n: number,
    kind: number,
    slope: number,
  ): void;
  dropout(x: Ptr, y: Ptr, mask: Ptr, ld: number, m: number, n: number, rate: number, seed: number): void;
  dropout_backward(dy: Ptr, mask: Ptr, dx: Ptr, count: number): void;
  zero(p: Ptr, count: number): void;
  adam(
    w: Ptr,
    g: Ptr,
    m: Ptr,
    v: Ptr,
    count: number,
    stepSize: number,
    rootCorrection: number,
    beta1: number,
    beta2: number,
    eps: number,
    shrink: number,
    l2: number,
  ): void;
  ema(average: Ptr, w: Ptr, count: number, rate: number): void;
  mixed_diffusion_loss(
    out: Ptr,
    grad: Ptr,
    width: number,
    rows: number,
    dNum: number,
    noise: Ptr,
    steps: Ptr,
    trueClass: Ptr,
    noisedClass: Ptr,
    spans: Ptr,
    nSpans: number,
    alphas: Ptr,
    alphaBarPrev: Ptr,
    numericScale: number,
    spanWeight: number,
    scratch: Ptr,
    scratchSize: number,
  ): number;
  multinomial_reverse_step(
    out: Ptr,
    width: number,
    rows: number,
    dNum: number,
    classes: Ptr,
    spans: Ptr,
    nSpans: number,
    t: number,
    alpha: number,
    a: number,
    uniforms: Ptr,
    scratch: Ptr,
  ): void;
  span_activate(
    x: Ptr,
    y: Ptr,
    noise: Ptr,
    ld: number,
    m: number,
    spans: Ptr,
    count: number,
    tau: number,
    seed: number,
  ): void;
  span_activate_backward(y: Ptr, dy: Ptr, dx: Ptr, ld: number, m: number, spans: Ptr, count: number, tau: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module, once per thread; throws where WebAssembly SIMD is missing. */
export function fusedModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(FUSED_KERNELS_WASM, 'base64'));
  return compiled;
}

const PAGE = 65536;

/** n rounded up to a multiple of 4: the kernels' unit (one SIMD register of floats). */
export const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/** One kernel instance and the bump allocator over its memory. */
export class KernelMemory {
  k: KernelExports;
  private top: number;
  private highWater: number;
  private view: Float32Array;
  private ints: Int32Array;

  constructor() {
    this.k = new WebAssembly.Instance(fusedModule(), {}).exports as unknown as KernelExports;
    // The module's own data sits below its initial size; buffers start above it.
    this.top = this.k.memory.buffer.byteLength;
    this.highWater = this.top;
    this.view = new Float32Array(this.k.memory.buffer);
    this.ints = new Int32Array(this.k.memory.buffer);
  }

  /** Reserves `floats` zeroed 4-byte slots, 16-byte aligned; returns the byte offset. */
  alloc(floats: number): Ptr {
    const at = this.top;
    const top = at + pad4(floats) * 4;
    const need = top - this.k.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.k.memory.grow(Math.ceil(need / PAGE));
      } catch {
        // wasm32 memory ends at 4 GiB, and the machine may give less; nothing was moved, so the memory stays usable.
        throw usageError(
          `the network needs ${Math.ceil(top / 2 ** 20)} MiB of WebAssembly memory in one thread, more than it can have`,
          'Lower batch_size, width or layers, or train with more threads (each holds its share of the batch).',
        );
      }
    }
    // Memory above the high-water mark is fresh (zero); below it, a released buffer is zeroed as it is handed out again.
    if (at < this.highWater) this.f32.fill(0, at / 4, Math.min(top, this.highWater) / 4);
    this.top = top;
    this.highWater = Math.max(this.highWater, top);
    return at;
  }

  /** Where the next buffer would go: a mark to release back to (buffers above it are dropped). */
  get mark(): Ptr {
    return this.top;
  }

  release(mark: Ptr): void {
    this.top = mark;
  }

  /** The memory as floats (a fresh view after the memory grew). */
  get f32(): Float32Array {
    if (this.view.buffer !== this.k.memory.buffer) this.view = new Float32Array(this.k.memory.buffer);
    return this.view;
  }

  get i32(): Int32Array {
    if (this.ints.buffer !== this.k.memory.buffer) this.ints = new Int32Array(this.k.memory.buffer);
    return this.ints;
  }
}
