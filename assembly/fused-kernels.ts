/**
 * The fused engine's kernels (AssemblyScript, compiled to WebAssembly with SIMD by
 * scripts/build-fused-kernels.ts). Every pointer is a byte offset into the one linear memory
 * the JavaScript side lays out; every matrix is row-major f32 with its row stride (ld) in
 * floats, a multiple of 4 so each row starts on a 16-byte boundary. Nothing here allocates.
 */

// Activation codes, as the JavaScript side numbers them.
const LINEAR = 0;
const RELU = 1;
const LEAKY_RELU = 2;
const TANH = 3;
const SILU = 4;
const SIGMOID = 5;

/**
 * C (=|+=) A B for C [m, n], A [m, k] read with strides (ars, acs) in floats, B [k, n] row
 * stride ldb. n must be a multiple of 4. The strides let one kernel serve X W, dZ W^T (with a
 * transposed copy of W) and X^T dZ (ars = 1, acs = ld of X).
 */
export function gemm(
  a: usize, ars: i32, acs: i32,
  b: usize, ldb: i32,
  c: usize, ldc: i32,
  m: i32, n: i32, k: i32, accumulate: i32,
): void {
  const rs = <usize>ars << 2;
  const cs = <usize>acs << 2;
  const bs = <usize>ldb << 2;
  const crs = <usize>ldc << 2;
  // Rows in chunks whose slice of A stays in cache while every column panel of B passes over it.
  for (let i0 = 0; i0 < m; i0 += ROW_CHUNK) {
    const rows = min(ROW_CHUNK, m - i0);
    const a0 = a + <usize>i0 * rs;
    const c0 = c + <usize>i0 * crs;
    const m4 = rows & ~3;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const bj = b + (<usize>j << 2);
      const cj = c0 + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) block4x8(a0 + <usize>i * rs, rs, cs, bj, bs, cj + <usize>i * crs, crs, k, accumulate);
      for (; i < rows; i++) block1x8(a0 + <usize>i * rs, cs, bj, bs, cj + <usize>i * crs, k, accumulate);
    }
    for (; j < n; j += 4) {
      const bj = b + (<usize>j << 2);
      const cj = c0 + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) block4x4(a0 + <usize>i * rs, rs, cs, bj, bs, cj + <usize>i * crs, crs, k, accumulate);
      for (; i < rows; i++) block1x4(a0 + <usize>i * rs, cs, bj, bs, cj + <usize>i * crs, k, accumulate);
    }
  }
}

const ROW_CHUNK = 64;

// @ts-ignore: decorator
@inline
function block4x8(a: usize, rs: usize, cs: usize, b: usize, bs: usize, c: usize, crs: usize, k: i32, acc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a;
  const r2 = rs << 1;
  const r3 = rs * 3;
  let bp = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + rs);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + r2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a0 + r3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += cs;
    bp += bs;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + crs));
    c11 = f32x4.add(c11, v128.load(c + crs, 16));
    c20 = f32x4.add(c20, v128.load(c + (crs << 1)));
    c21 = f32x4.add(c21, v128.load(c + (crs << 1), 16));
    c30 = f32x4.add(c30, v128.load(c + crs * 3));
    c31 = f32x4.add(c31, v128.load(c + crs * 3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + crs, c10);
  v128.store(c + crs, c11, 16);
  v128.store(c + (crs << 1), c20);
  v128.store(c + (crs << 1), c21, 16);
  v128.store(c + crs * 3, c30);
  v128.store(c + crs * 3, c31, 16);
}

// @ts-ignore: decorator
@inline
function block4x4(a: usize, rs: usize, cs: usize, b: usize, bs: usize, c: usize, crs: usize, k: i32, acc: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let a0 = a;
  let bp = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(bp);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a0 + rs), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a0 + (rs << 1)), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a0 + rs * 3), b0));
    a0 += cs;
    bp += bs;
  }
  if (acc) {
    c0 = f32x4.add(c0, v128.load(c));
    c1 = f32x4.add(c1, v128.load(c + crs));
    c2 = f32x4.add(c2, v128.load(c + (crs << 1)));
    c3 = f32x4.add(c3, v128.load(c + crs * 3));
  }
  v128.store(c, c0);
  v128.store(c + crs, c1);
  v128.store(c + (crs << 1), c2);
  v128.store(c + crs * 3, c3);
}

// @ts-ignore: decorator
@inline
function block1x8(a: usize, cs: usize, b: usize, bs: usize, c: usize, k: i32, acc: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let a0 = a;
  let bp = b;
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a0);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bp)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bp, 16)));
    a0 += cs;
    bp += bs;
  }
  if (acc) {
    c0 = f32x4.add(c0, v128.load(c));
    c1 = f32x4.add(c1, v128.load(c, 16));
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

// @ts-ignore: decorator
@inline
function block1x4(a: usize, cs: usize, b: usize, bs: usize, c: usize, k: i32, acc: i32): void {
  let c0 = f32x4.splat(0);
  let a0 = a;
  let bp = b;
  for (let p = 0; p < k; p++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a0), v128.load(bp)));
    a0 += cs;
    bp += bs;
  }
  if (acc) c0 = f32x4.add(c0, v128.load(c));
  v128.store(c, c0);
}

/** dst [cols, rows] = src [rows, cols]^T (strides lds, ldd), rows and cols multiples of 4: in 4x4 blocks of shuffles. */
export function transpose(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  const sr = <usize>lds << 2;
  const dr = <usize>ldd << 2;
  for (let i = 0; i < rows; i += 4) {
    for (let j = 0; j < cols; j += 4) {
      const s0 = src + <usize>i * sr + (<usize>j << 2);
      const r0 = v128.load(s0);
      const r1 = v128.load(s0 + sr);
      const r2 = v128.load(s0 + 2 * sr);
      const r3 = v128.load(s0 + 3 * sr);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d0 = dst + <usize>j * dr + (<usize>i << 2);
      v128.store(d0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(d0 + dr, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(d0 + 2 * dr, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(d0 + 3 * dr, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
  }
}

/**
 * e^x on four lanes: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its degree-6 Taylor polynomial
 * (relative error under 2e-7), 2^n built in the exponent bits. x is clamped to the range where
 * e^x is a finite, normal float32; NaN stays NaN.
 */
// @ts-ignore: decorator
@inline
function exp4(v: v128): v128 {
  const x = f32x4.max(f32x4.splat(-87.3), f32x4.min(f32x4.splat(88.3), v));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(<f32>(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** 1 / (1 + e^-z) on four lanes. */
// @ts-ignore: decorator
@inline
function sigmoid4(z: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(f32x4.neg(z))));
}

/** y[i, :] += bias for m rows of width n (a multiple of 4). */
export function add_bias(y: usize, ld: i32, m: i32, n: i32, bias: usize): void {
  const rs = <usize>ld << 2;
  for (let i = 0; i < m; i++) {
    const row = y + <usize>i * rs;
    for (let j = 0; j < n; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
  }
}

/** out[j] += sum over m rows of dy[i, j], for n (a multiple of 4) columns: a bias gradient. */
export function column_sums(dy: usize, ld: i32, m: i32, n: i32, out: usize): void {
  const rs = <usize>ld << 2;
  for (let j = 0; j < n; j += 4) {
    const o = <usize>j << 2;
    let s = v128.load(out + o);
    for (let i = 0; i < m; i++) s = f32x4.add(s, v128.load(dy + <usize>i * rs + o));
    v128.store(out + o, s);
  }
}

/** y = x + z elementwise over count floats (a multiple of 4). */
export function add(x: usize, z: usize, y: usize, count: i32): void {
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(x + o), v128.load(z + o)));
  }
}

/** y += x elementwise over count floats (a multiple of 4): a gradient reaching a node from one more consumer. */
export function accumulate(x: usize, y: usize, count: i32): void {
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
}

/** out[r, :] = table[index[r], :] for m rows of width ld. */
export function gather_rows(table: usize, index: usize, m: i32, ld: i32, out: usize): void {
  const rs = <usize>ld << 2;
  for (let r = 0; r < m; r++) memory.copy(out + <usize>r * rs, table + <usize>load<i32>(index + (<usize>r << 2)) * rs, rs);
}

/** dtable[index[r], :] += dout[r, :]: the gather's backward pass. */
export function scatter_add_rows(dout: usize, index: usize, m: i32, ld: i32, dtable: usize): void {
  const rs = <usize>ld << 2;
  for (let r = 0; r < m; r++) {
    const src = dout + <usize>r * rs;
    const dst = dtable + <usize>load<i32>(index + (<usize>r << 2)) * rs;
    for (let j = 0; j < ld; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
  }
}

// @ts-ignore: decorator
@inline
function sigmoid(z: f32): f32 {
  return z >= 0 ? 1 / (1 + Mathf.exp(-z)) : Mathf.exp(z) / (1 + Mathf.exp(z));
}

/** y = act(x) over m rows of n real columns (padding columns stay 0). */
export function activate(x: usize, y: usize, ld: i32, m: i32, n: i32, kind: i32, slope: f32): void {
  const rs = <usize>ld << 2;
  if (kind == RELU) {
    // f32x4.max, not pmax: a NaN passes through as it does in TensorFlow.js, instead of becoming 0.
    const zero = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const xr = x + <usize>i * rs;
      const yr = y + <usize>i * rs;
      for (let j = 0; j < ld; j += 4) {
        const o = <usize>j << 2;
        v128.store(yr + o, f32x4.max(zero, v128.load(xr + o)));
      }
    }
    return;
  }
  if (kind == SILU) {
    // SiLU(0) = 0, so the padding columns stay 0 across whole rows of SIMD lanes.
    for (let i = 0; i < m; i++) {
      const xr = x + <usize>i * rs;
      const yr = y + <usize>i * rs;
      for (let j = 0; j < ld; j += 4) {
        const o = <usize>j << 2;
        const z = v128.load(xr + o);
        v128.store(yr + o, f32x4.mul(z, sigmoid4(z)));
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const xr = x + <usize>i * rs;
    const yr = y + <usize>i * rs;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      const z = load<f32>(xr + o);
      let v: f32 = z;
      if (kind == LEAKY_RELU) v = z > 0 ? z : z * slope;
      else if (kind == TANH) v = tanhf(z);
      else if (kind == SILU) v = z * sigmoid(z);
      else if (kind == SIGMOID) v = sigmoid(z);
      store<f32>(yr + o, v);
    }
  }
}

// @ts-ignore: decorator
@inline
function tanhf(z: f32): f32 {
  // 2 sigmoid(2z) - 1, written to stay finite for any z.
  return <f32>2 * sigmoid(<f32>2 * z) - <f32>1;
}

/** dx += dy * act'(x), with y = act(x) at hand, over m rows of n real columns. */
export function activate_backward(x: usize, y: usize, dy: usize, dx: usize, ld: i32, m: i32, n: i32, kind: i32, slope: f32): void {
  const rs = <usize>ld << 2;
  if (kind == RELU) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < m; i++) {
      const r = <usize>i * rs;
      for (let j = 0; j < ld; j += 4) {
        const o = r + (<usize>j << 2);
        const keep = f32x4.gt(v128.load(x + o), zero);
        v128.store(dx + o, f32x4.add(v128.load(dx + o), v128.and(v128.load(dy + o), keep)));
      }
    }
    return;
  }
  if (kind == SILU) {
    // SiLU'(z) = s (1 + z (1 - s)), s = sigmoid(z); the padding's dy is 0.
    const one = f32x4.splat(1);
    for (let i = 0; i < m; i++) {
      const r = <usize>i * rs;
      for (let j = 0; j < ld; j += 4) {
        const o = r + (<usize>j << 2);
        const z = v128.load(x + o);
        const sg = sigmoid4(z);
        const d = f32x4.mul(sg, f32x4.add(one, f32x4.mul(z, f32x4.sub(one, sg))));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), d)));
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const r = <usize>i * rs;
    for (let j = 0; j < n; j++) {
      const o = r + (<usize>j << 2);
      const z = load<f32>(x + o);
      const v = load<f32>(y + o);
      let d: f32 = 1;
      if (kind == LEAKY_RELU) d = z > 0 ? 1 : slope;
      else if (kind == TANH) d = 1 - v * v;
      else if (kind == SILU) {
        const s = sigmoid(z);
        d = s * (1 + z * (1 - s));
      } else if (kind == SIGMOID) d = v * (1 - v);
      store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * d);
    }
  }
}

/** One step of the xorshift32 stream dropout masks and Gumbel noise draw from. */
// @ts-ignore: decorator
@inline
function xorshift(s: u32): u32 {
  s ^= s << 13;
  s ^= s >> 17;
  return s ^ (s << 5);
}

/**
 * Inverted dropout: y = x * mask / (1 - rate), where mask keeps each unit with probability
 * 1 - rate, drawn from a xorshift32 stream seeded by the caller per call (never 0).
 * The mask (0 or the scale) is kept for the backward pass.
 */
export function dropout(x: usize, y: usize, mask: usize, ld: i32, m: i32, n: i32, rate: f32, seed: u32): void {
  const rs = <usize>ld << 2;
  const scale: f32 = 1 / (1 - rate);
  const threshold = <u32>(<f64>rate * 4294967296.0);
  let s = seed | 1;
  for (let i = 0; i < m; i++) {
    const r = <usize>i * rs;
    for (let j = 0; j < n; j++) {
      s = xorshift(s);
      const o = r + (<usize>j << 2);
      const keep: f32 = s >= threshold ? scale : 0;
      store<f32>(mask + o, keep);
      store<f32>(y + o, load<f32>(x + o) * keep);
    }
  }
}

/** dx += dy * mask over count floats (a multiple of 4). */
export function dropout_backward(dy: usize, mask: usize, dx: usize, count: i32): void {
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), v128.load(mask + o))));
  }
}

/** Zeroes count floats (a multiple of 4). */
export function zero(p: usize, count: i32): void {
  memory.fill(p, 0, <usize>count << 2);
}

/**
 * One Adam step over count floats (a multiple of 4), as torch.optim computes it: decoupled 1 is
 * AdamW (w *= 1 - lr wd first), decoupled 0 is L2 (wd w added to the gradient). The bias
 * corrections come from the caller, in double precision as torch computes them.
 */
export function adam(
  w: usize, g: usize, mo: usize, vo: usize, count: i32,
  stepSize: f32, rootCorrection: f32, beta1: f32, beta2: f32, eps: f32, shrink: f32, l2: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const e = f32x4.splat(eps);
  const root = f32x4.splat(rootCorrection);
  const size = f32x4.splat(stepSize);
  const keep = f32x4.splat(shrink);
  const decay = f32x4.splat(l2);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    const wi = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(decay, wi));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(mo + o)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(vo + o)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(mo + o, mi);
    v128.store(vo + o, vi);
    const denominator = f32x4.add(f32x4.div(f32x4.sqrt(vi), root), e);
    v128.store(w + o, f32x4.sub(f32x4.mul(wi, keep), f32x4.div(f32x4.mul(size, mi), denominator)));
  }
}

/** average = rate average + (1 - rate) w over count floats (a multiple of 4): the weight average. */
export function ema(average: usize, w: usize, count: i32, rate: f32): void {
  const r = f32x4.splat(rate);
  const c = f32x4.splat(1 - rate);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    v128.store(average + o, f32x4.add(f32x4.mul(r, v128.load(average + o)), f32x4.mul(c, v128.load(w + o))));
  }
}

// Span kinds of an output head, as the JavaScript side numbers them.
const SPAN_LINEAR = 0;
const SPAN_TANH = 1;
const SPAN_SOFTMAX = 2;
const SPAN_GUMBEL = 3;

/**
 * An output head over spans of each row: spans holds (offset, size, kind) int32 triples. tanh
 * and linear act per value; softmax normalises its span; Gumbel-softmax is softmax((x + g) / tau)
 * with g = -log(-log u) drawn from a xorshift32 stream seeded by the caller (the draw is kept in
 * `noise`, so a training step's backward pass and its finite-difference check see the same one).
 */
export function span_activate(x: usize, y: usize, noise: usize, ld: i32, m: i32, spans: usize, count: i32, tau: f32, seed: u32): void {
  const rs = <usize>ld << 2;
  let s = seed | 1;
  for (let i = 0; i < m; i++) {
    const xr = x + <usize>i * rs;
    const yr = y + <usize>i * rs;
    const nr = noise + <usize>i * rs;
    for (let p = 0; p < count; p++) {
      const offset = load<i32>(spans + <usize>(p * 12));
      const size = load<i32>(spans + <usize>(p * 12 + 4));
      const kind = load<i32>(spans + <usize>(p * 12 + 8));
      const base = <usize>offset << 2;
      if (kind == SPAN_LINEAR || kind == SPAN_TANH) {
        for (let c = 0; c < size; c++) {
          const o = base + (<usize>c << 2);
          const z = load<f32>(xr + o);
          store<f32>(yr + o, kind == SPAN_TANH ? tanhf(z) : z);
        }
        continue;
      }
      const scale: f32 = kind == SPAN_GUMBEL ? 1 / tau : 1;
      let max: f32 = -Infinity;
      for (let c = 0; c < size; c++) {
        const o = base + (<usize>c << 2);
        let g: f32 = 0;
        if (kind == SPAN_GUMBEL) {
          s = xorshift(s);
          // u in (0, 1) from 23 bits, so u + 0.5 ulp stays below 1 in float32: both logs stay finite.
          const u: f32 = (<f32>(s >> 9) + <f32>0.5) * <f32>(1.0 / 8388608.0);
          g = -Mathf.log(-Mathf.log(u));
        }
        store<f32>(nr + o, g);
        const z = (load<f32>(xr + o) + g) * scale;
        store<f32>(yr + o, z);
        if (z > max) max = z;
      }
      let total: f32 = 0;
      for (let c = 0; c < size; c++) {
        const o = base + (<usize>c << 2);
        const e = Mathf.exp(load<f32>(yr + o) - max);
        store<f32>(yr + o, e);
        total += e;
      }
      for (let c = 0; c < size; c++) {
        const o = base + (<usize>c << 2);
        store<f32>(yr + o, load<f32>(yr + o) / total);
      }
    }
  }
}

/** dx += the head's backward pass, from its output y: softmax spans dy -> y (dy - sum(dy y)) / tau. */
export function span_activate_backward(y: usize, dy: usize, dx: usize, ld: i32, m: i32, spans: usize, count: i32, tau: f32): void {
  const rs = <usize>ld << 2;
  for (let i = 0; i < m; i++) {
    const yr = y + <usize>i * rs;
    const dyr = dy + <usize>i * rs;
    const dxr = dx + <usize>i * rs;
    for (let p = 0; p < count; p++) {
      const offset = load<i32>(spans + <usize>(p * 12));
      const size = load<i32>(spans + <usize>(p * 12 + 4));
      const kind = load<i32>(spans + <usize>(p * 12 + 8));
      const base = <usize>offset << 2;
      if (kind == SPAN_LINEAR || kind == SPAN_TANH) {
        for (let c = 0; c < size; c++) {
          const o = base + (<usize>c << 2);
          const v = load<f32>(yr + o);
          const d: f32 = kind == SPAN_TANH ? 1 - v * v : 1;
          store<f32>(dxr + o, load<f32>(dxr + o) + load<f32>(dyr + o) * d);
        }
        continue;
      }
      const scale: f32 = kind == SPAN_GUMBEL ? 1 / tau : 1;
      let inner: f32 = 0;
      for (let c = 0; c < size; c++) {
        const o = base + (<usize>c << 2);
        inner += load<f32>(dyr + o) * load<f32>(yr + o);
      }
      for (let c = 0; c < size; c++) {
        const o = base + (<usize>c << 2);
        const v = load<f32>(yr + o);
        store<f32>(dxr + o, load<f32>(dxr + o) + v * (load<f32>(dyr + o) - inner) * scale);
      }
    }
  }
}

export { mixed_diffusion_loss, multinomial_reverse_step } from './tabddpm-kernels';
