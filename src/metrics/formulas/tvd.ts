/** Category shares with missing as its own category: index 0 is missing, code c is at c + 1. */
export function categoryShares(codes: Int32Array, levelCount: number): Float64Array {
  const shares = new Float64Array(levelCount + 1);
  for (const code of codes) shares[code + 1]++;
  const n = codes.length;
  if (n > 0) for (let k = 0; k < shares.length; k++) shares[k] /= n;
  return shares;
}

/** Total variation distance 0.5 * sum_c |p_a(c) - p_b(c)|, missing counting as its own category. */
export function totalVariation(a: Int32Array, b: Int32Array, levelCount: number): number {
  const p = categoryShares(a, levelCount);
  const q = categoryShares(b, levelCount);
  let sum = 0;
  for (let k = 0; k < p.length; k++) sum += Math.abs(p[k] - q[k]);
  return sum / 2;
}
