/** Per-example clipping of DP-SGD: the factor that brings each example's gradient to norm at most C. */

/**
 * min(1, C / ||g_r||) per example from the squared norms: a gradient within C is kept whole, a
 * longer one is scaled to norm exactly C (a zero gradient keeps factor 1, never a division by 0).
 */
export function clipFactors(squaredNorms: ArrayLike<number>, maxNorm: number): Float32Array {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) throw new Error(`a clipping norm must be positive, not ${maxNorm}`);
  const limit = maxNorm * maxNorm;
  return Float32Array.from({ length: squaredNorms.length }, (_, r) => {
    const s = squaredNorms[r];
    if (!(s >= 0)) throw new Error(`example ${r} has a gradient norm that is not a number`);
    return s > limit ? maxNorm / Math.sqrt(s) : 1;
  });
}
