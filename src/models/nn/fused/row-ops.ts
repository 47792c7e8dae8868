/**
 * The fused engine's row operations that are cheap next to the matrix products and so stay in
 * JavaScript, over views of the network's linear memory: concatenation, batch normalisation
 * and per-row squared norms. Every matrix is row-major with a row stride `ld` (floats).
 */

export interface Strided {
  readonly at: number;
  readonly ld: number;
}

/** Copies `width` columns of `m` rows from `src` to column `offset` of `dst`. */
export function copyColumns(
  f32: Float32Array,
  src: Strided,
  dst: Strided,
  m: number,
  width: number,
  offset: number,
): void {
  for (let r = 0; r < m; r++) {
    const from = src.at + r * src.ld;
    f32.copyWithin(dst.at + r * dst.ld + offset, from, from + width);
  }
}

/** Adds `width` columns of `src` starting at column `offset` into `dst`. */
export function addColumns(
  f32: Float32Array,
  src: Strided,
  offset: number,
  dst: Strided,
  m: number,
  width: number,
): void {
  for (let r = 0; r < m; r++) {
    const from = src.at + r * src.ld + offset;
    const to = dst.at + r * dst.ld;
    for (let j = 0; j < width; j++) f32[to + j] += f32[from + j];
  }
}

/** Squared norm of each of `m` rows' first `width` columns, added into `into`, times `factor[r]` when given. */
export function addRowNormsSquared(
  f32: Float32Array,
  x: Strided,
  m: number,
  width: number,
  into: Float64Array,
  factor?: Float64Array,
): void {
  for (let r = 0; r < m; r++) {
    const row = x.at + r * x.ld;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += f32[row + j] * f32[row + j];
    into[r] += factor ? sum * factor[r] : sum;
  }
}

/** Dot product of each of `m` rows' first `width` columns of `a` and `b` (each in its own memory), added into `into`. */
export function addRowProducts(
  aMem: Float32Array,
  a: Strided,
  bMem: Float32Array,
  b: Strided,
  m: number,
  width: number,
  into: Float64Array,
): void {
  for (let r = 0; r < m; r++) {
    const rowA = a.at + r * a.ld;
    const rowB = b.at + r * b.ld;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += aMem[rowA + j] * bMem[rowB + j];
    into[r] += sum;
  }
}

/** Multiplies each row's first `width` columns by scale[r]. */
export function scaleRows(f32: Float32Array, x: Strided, m: number, width: number, scale: Float32Array): void {
  for (let r = 0; r < m; r++) {
    const row = x.at + r * x.ld;
    for (let j = 0; j < width; j++) f32[row + j] *= scale[r];
  }
}

/** What the forward pass of a batch norm keeps for its backward pass: per column mean and 1/sqrt(var + eps). */
export interface NormStats {
  mean: Float64Array;
  invStd: Float64Array;
}

/** y = gamma (x - mean) / sqrt(var + eps) + beta over the batch's own statistics (biased variance). */
export function batchNormForward(
  f32: Float32Array,
  x: Strided,
  y: Strided,
  m: number,
  width: number,
  gamma: number,
  beta: number,
  epsilon: number,
  stats: NormStats,
): void {
  for (let j = 0; j < width; j++) {
    let sum = 0;
    for (let r = 0; r < m; r++) sum += f32[x.at + r * x.ld + j];
    const mean = sum / m;
    let squares = 0;
    for (let r = 0; r < m; r++) {
      const d = f32[x.at + r * x.ld + j] - mean;
      squares += d * d;
    }
    const invStd = 1 / Math.sqrt(squares / m + epsilon);
    stats.mean[j] = mean;
    stats.invStd[j] = invStd;
    const g = f32[gamma + j];
    const b = f32[beta + j];
    for (let r = 0; r < m; r++) f32[y.at + r * y.ld + j] = g * (f32[x.at + r * x.ld + j] - mean) * invStd + b;
  }
}

/**
 * The batch norm's backward pass: dgamma = sum dy xhat, dbeta = sum dy (written), and
 * dx += gamma invStd / m (m dy - dbeta - xhat dgamma) when `dx` is given.
 */
export function batchNormBackward(
  f32: Float32Array,
  x: Strided,
  dy: Strided,
  dx: Strided | undefined,
  m: number,
  width: number,
  gamma: number,
  dGamma: number,
  dBeta: number,
  stats: NormStats,
): void {
  for (let j = 0; j < width; j++) {
    const mean = stats.mean[j];
    const invStd = stats.invStd[j];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let r = 0; r < m; r++) {
      const g = f32[dy.at + r * dy.ld + j];
      sumDy += g;
      sumDyXhat += g * (f32[x.at + r * x.ld + j] - mean) * invStd;
    }
    f32[dGamma + j] = sumDyXhat;
    f32[dBeta + j] = sumDy;
    if (!dx) continue;
    const k = (f32[gamma + j] * invStd) / m;
    for (let r = 0; r < m; r++) {
      const xhat = (f32[x.at + r * x.ld + j] - mean) * invStd;
      f32[dx.at + r * dx.ld + j] += k * (m * f32[dy.at + r * dy.ld + j] - sumDy - xhat * sumDyXhat);
    }
  }
}
