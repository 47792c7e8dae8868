/**
 * Pairwise association measures for corr_delta (SPEC section 3). An undefined association
 * (a constant column, a single category, too few rows) is 0.
 */

/** Pearson r over the rows where both values are present. */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 2) return 0;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Cramer's V without bias correction; missing is a category of its own. */
export function cramersV(a: Int32Array, aLevels: number, b: Int32Array, bLevels: number): number {
  const n = a.length;
  if (n === 0) return 0;
  const width = bLevels + 1;
  const cells = occupiedCells(a, b, width, (aLevels + 1) * width);
  // The margins from the cells: whole counts, so the same numbers as counting the rows again.
  const rowsA = new Float64Array(aLevels + 1);
  const colsB = new Float64Array(bLevels + 1);
  cells.keys.forEach((key, m) => {
    rowsA[Math.floor(key / width)] += cells.counts[m];
    colsB[key % width] += cells.counts[m];
  });
  const kr = rowsA.reduce((k, v) => k + (v > 0 ? 1 : 0), 0);
  const kc = colsB.reduce((k, v) => k + (v > 0 ? 1 : 0), 0);
  const k = Math.min(kr, kc);
  if (k < 2) return 0;
  // chi^2 = n (sum O_rc^2 / (n_r n_c) - 1), summing only the cells that occur.
  let sum = 0;
  for (let m = 0; m < cells.keys.length; m++) {
    const [key, observed] = [cells.keys[m], cells.counts[m]];
    sum += (observed * observed) / (rowsA[Math.floor(key / width)] * colsB[key % width]);
  }
  const chi2 = n * (sum - 1);
  return Math.sqrt(Math.max(0, chi2) / (n * (k - 1)));
}

/** Contingency tables up to this many cells are counted in an array, larger ones in a map. */
const DENSE_CELLS = 1 << 20;

/**
 * The contingency table's occupied cells (key (a + 1) * width + b + 1) and their counts, in the
 * order they first occur: the sum over them is then the same to the last bit however they are counted.
 */
function occupiedCells(
  a: Int32Array,
  b: Int32Array,
  width: number,
  cellCount: number,
): { keys: Float64Array; counts: Float64Array } {
  const n = a.length;
  if (cellCount > DENSE_CELLS) {
    const cells = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = (a[i] + 1) * width + b[i] + 1;
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
    return { keys: Float64Array.from(cells.keys()), counts: Float64Array.from(cells.values()) };
  }
  const dense = new Int32Array(cellCount);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = (a[i] + 1) * width + b[i] + 1;
    if (dense[key]++ === 0) order.push(key);
  }
  return { keys: Float64Array.from(order), counts: Float64Array.from(order, (key) => dense[key]) };
}

/** Correlation ratio eta of a numeric column on a categorical one, over rows with the number present. */
export function correlationRatio(codes: Int32Array, levelCount: number, values: Float64Array): number {
  const { n, mean, totalSquares } = spreadOf(values);
  if (n < 2) return 0;
  const sums = new Float64Array(levelCount + 1);
  const counts = new Float64Array(levelCount + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    sums[codes[i] + 1] += v;
    counts[codes[i] + 1]++;
  }
  let between = 0;
  for (let k = 0; k < sums.length; k++) {
    if (counts[k] > 0) {
      const groupMean = sums[k] / counts[k];
      between += counts[k] * (groupMean - mean) ** 2;
    }
  }
  if (totalSquares === 0) return 0;
  return Math.sqrt(Math.min(1, between / totalSquares));
}

/** A numeric column's present count, mean and sum of squares about it. */
interface Spread {
  readonly n: number;
  readonly mean: number;
  readonly totalSquares: number;
}

/** Spreads by column: a numeric column meets every categorical one with the same spread. */
const spreads = new WeakMap<Float64Array, Spread>();

function spreadOf(values: Float64Array): Spread {
  let spread = spreads.get(values);
  if (!spread) {
    spread = computeSpread(values);
    spreads.set(values, spread);
  }
  return spread;
}

function computeSpread(values: Float64Array): Spread {
  let n = 0;
  let total = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    total += v;
    n++;
  }
  const mean = total / n;
  let totalSquares = 0;
  for (const v of values) if (!Number.isNaN(v)) totalSquares += (v - mean) ** 2;
  return { n, mean, totalSquares };
}
