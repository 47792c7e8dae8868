/**
 * Statistical checks for the privacy mechanisms, written from textbook definitions so that they
 * share no code with what they test.
 */

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized upper incomplete gamma Q(a, x): the series for x < a + 1, Lentz's continued fraction beyond. */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return front * h;
}

/** P(X >= statistic) for X chi-square with df degrees of freedom. */
export const chiSquareSurvival = (statistic: number, df: number): number => upperGamma(df / 2, statistic / 2);

/** Pearson's goodness-of-fit p-value of observed counts against cell probabilities summing to 1. */
export function goodnessOfFit(observed: readonly number[], probabilities: readonly number[]): number {
  const n = observed.reduce((a, x) => a + x, 0);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = n * probabilities[i];
    statistic += (observed[i] - expected) ** 2 / expected;
  }
  return chiSquareSurvival(statistic, observed.length - 1);
}

/** Pearson's p-value that two samples of counts over the same cells come from one distribution. */
export function homogeneity(a: readonly number[], b: readonly number[]): number {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  let statistic = 0;
  let cells = 0;
  for (let i = 0; i < a.length; i++) {
    const pooled = (a[i] + b[i]) / (na + nb);
    if (pooled === 0) continue;
    cells++;
    statistic += (a[i] - na * pooled) ** 2 / (na * pooled) + (b[i] - nb * pooled) ** 2 / (nb * pooled);
  }
  return chiSquareSurvival(statistic, cells - 1);
}

/** Counts of samples per bucket: bucket i holds [edges[i - 1], edges[i]), with open-ended first and last buckets. */
export function bucketCounts(samples: Iterable<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of samples) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < edges[mid]) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts;
}

/**
 * The empirical DP check, after Google's statistical tester (StatisticalTestsUtil.verifyApproximateDp):
 * with n samples per input, an epsilon-DP mechanism has, in every bucket, count_a <= e^eps count_b in
 * expectation, and count_a - e^eps count_b has variance at most n p_a + e^(2 eps) n p_b. The check
 * allows z estimated standard deviations (z = 6: about 1e-9 per bucket and direction) and returns the
 * buckets that break the bound in either direction.
 */
export function dpViolations(a: readonly number[], b: readonly number[], epsilon: number, z = 6): number[] {
  const ratio = Math.exp(epsilon);
  const exceeds = (x: number, y: number) => x - ratio * y > z * Math.sqrt(x + ratio * ratio * y);
  return a.map((_, i) => i).filter((i) => exceeds(a[i], b[i]) || exceeds(b[i], a[i]));
}

/** Cells expected fewer than 5 times merged into one (kept only when there are some), for a chi-square test. */
export function mergeRareCells(observed: readonly number[], probabilities: readonly number[], n: number) {
  const rare = probabilities.map((p) => p * n < 5);
  const keep = <T>(xs: readonly T[]) => xs.filter((_, i) => !rare[i]);
  const merged = (xs: readonly number[]) => xs.filter((_, i) => rare[i]).reduce((a, b) => a + b, 0);
  // Impossible cells that nothing fell in drop out (0 / 0); one that something fell in stays and fails the test.
  if (!rare.some(Boolean) || (merged(probabilities) === 0 && merged(observed) === 0))
    return { observed: keep(observed), probabilities: keep(probabilities) };
  return {
    observed: [merged(observed), ...keep(observed)],
    probabilities: [merged(probabilities), ...keep(probabilities)],
  };
}
