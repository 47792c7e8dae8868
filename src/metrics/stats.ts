/** Small statistics shared by the metrics. */

export const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The median of the values (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * ROC AUC of positives against negatives by score: the probability that a random positive scores
 * above a random negative, ties counting one half (Mann-Whitney U with mid-ranks).
 */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return NaN;
  const all = new Float64Array(np + nn);
  all.set(Array.from(positives));
  all.set(Array.from(negatives), np);
  const order = Int32Array.from({ length: np + nn }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  let rankSumPositive = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && all[order[end]] === all[order[start]]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k] < np) rankSumPositive += midRank;
    start = end;
  }
  return (rankSumPositive - (np * (np + 1)) / 2) / (np * nn);
}
