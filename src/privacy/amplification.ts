/**
 * What sample-db's release costs when rows are Poisson-sampled (SPEC section 7): each row of the
 * table is kept with probability q, each kept row's values go through an epsilon0-DP local
 * randomiser, and the kept lines are released shuffled, so their number is released too. Under
 * add/remove-one-row neighbours this is (epsilon', delta)-DP with delta computed below; the pure
 * ln(1 + q(e^epsilon0 - 1)) claim does not hold, since the count and the lines show whether one
 * more row was sampled (with 20 other rows, q = 0.1, epsilon0 = 1 it needs delta about 6.6e-3).
 *
 * The bound, for neighbours D (n other rows) and D' = D plus x*: an epsilon0-DP randomiser R has
 * R(x) >= e^-epsilon0 R(x*) everywhere, so R(x) = e^-epsilon0 R(x*) + (1 - e^-epsilon0) L_x for
 * some distribution L_x (the "clone" decomposition of Feldman, McMillan and Talwar 2021, here
 * against x* alone, as add/remove needs). Every other row is then independently unsampled
 * (1 - q), a clone: sampled with a line drawn from R(x*) (q e^-epsilon0), or sampled with a line
 * from L_x (q (1 - e^-epsilon0)). The shuffled lines are a post-processing of (S, the L lines, M),
 * S the set of L rows and M the number of lines drawn from R(x*); (S, L lines) has the same law
 * under D and D'. Given |S| = s, M ~ Bin(n - s, p) under D and Bin(n - s, p) + Bern(q) under D',
 * p = q e^-epsilon0 / (1 - q (1 - e^-epsilon0)). So for alpha = e^epsilon', each direction's
 * hockey-stick divergence is at most E_s[H_alpha(M' || M | s)], s ~ Bin(n, q (1 - e^-epsilon0)),
 * and delta is the larger direction. Both divergences shrink as n - s grows (one more
 * independent Bernoulli on both sides is post-processing), so a lower bound on n is enough, and a
 * block of s values is bounded by its smallest n - s. With epsilon0 = 0 (the count alone) the
 * bound is exact. test/privacy/amplification.test.ts checks it against the exact divergence of
 * randomised response, enumerated.
 */

export interface SampledRelease {
  /** A lower bound on the rows of the table other than the one added or removed. */
  readonly others: number;
  /** The Poisson sampling rate, in (0, 1). */
  readonly q: number;
  /** What the local randomiser spends on one row (epsilon0). */
  readonly epsilon: number;
}

/** Probability mass left outside the computed part of a binomial, on each side (bounded by Chernoff). */
const TAIL = 1e-30;
/** Past this standard deviation of the clone count, more rows change delta by nothing that matters; fewer are used (sound: delta only falls with n). */
const MAX_SD = 400;
/** Blocks the law of |S| is cut into. */
const BLOCKS = 48;
/** Floating-point slack on the bound: the sums below are of positive terms, accurate far beyond this. */
const SLACK = 1 + 1e-9;

/** KL(a || p) between Bernoulli laws. */
function bernoulliKl(a: number, p: number): number {
  const term = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(x / y));
  return term(a, p) + term(1 - a, 1 - p);
}

/** Chernoff: P(K >= k) for k >= mp, or P(K <= k) for k <= mp, at most this (K ~ Bin(m, p)). */
const chernoff = (m: number, p: number, k: number): number => Math.exp(-m * bernoulliKl(k / m, p));

interface Window {
  /** The first k held. */
  readonly lo: number;
  /** P(K = lo + i), over-estimated by at most a factor 1 + 2 TAIL (normalised over the window). */
  readonly pmf: Float64Array;
  /** Bounds on P(K < lo) and P(K > lo + pmf.length - 1). */
  readonly below: number;
  readonly above: number;
}

/** The part of Bin(m, p) that holds all but TAIL of each side, from the ratios of neighbouring terms. */
function binomialWindow(m: number, p: number): Window {
  if (m === 0 || p <= 0) return { lo: 0, pmf: Float64Array.of(1), below: 0, above: 0 };
  if (p >= 1) return { lo: m, pmf: Float64Array.of(1), below: 0, above: 0 };
  const mode = Math.min(m, Math.floor((m + 1) * p));
  const edge = (direction: 1 | -1): number => {
    // The first k past which the Chernoff bound of the rest is below TAIL: exponential then binary search.
    const limit = direction > 0 ? m : 0;
    const ok = (k: number) =>
      direction > 0
        ? k >= m || (k + 1 > m * p && chernoff(m, p, k + 1) <= TAIL)
        : k <= 0 || (k - 1 < m * p && chernoff(m, p, k - 1) <= TAIL);
    let step = 1;
    let near = mode;
    let far = mode;
    while (!ok(far)) {
      near = far;
      far = direction > 0 ? Math.min(limit, far + step) : Math.max(limit, far - step);
      step *= 2;
    }
    while (Math.abs(far - near) > 1) {
      const mid = Math.trunc((far + near) / 2);
      if (ok(mid)) far = mid;
      else near = mid;
    }
    return far;
  };
  const lo = edge(-1);
  const hi = edge(1);
  const weights = new Float64Array(hi - lo + 1);
  const odds = p / (1 - p);
  weights[mode - lo] = 1;
  for (let k = mode; k < hi; k++) weights[k + 1 - lo] = (weights[k - lo] * (m - k) * odds) / (k + 1);
  for (let k = mode; k > lo; k--) weights[k - 1 - lo] = (weights[k - lo] * k) / ((m - k + 1) * odds);
  let total = 0;
  for (const w of weights) total += w;
  for (let i = 0; i < weights.length; i++) weights[i] /= total;
  return {
    lo,
    pmf: weights,
    below: lo > 0 ? chernoff(m, p, lo - 1) : 0,
    above: hi < m ? chernoff(m, p, hi + 1) : 0,
  };
}

/**
 * H_alpha(Bin(m,p) + Bern(q) || Bin(m,p)) ("added") and H_alpha(Bin(m,p) || Bin(m,p) + Bern(q))
 * ("removed"), each as a sum of its positive terms. With r_k = P(k-1)/P(k), rising in k, the first
 * is sum over k of P(k) (q r_k - (alpha - 1 + q))^+ and the second of P(k) (1 - alpha (1 - q) - alpha q r_k)^+.
 */
function countDivergences(window: Window, m: number, p: number, q: number, alpha: number): [number, number] {
  const { lo, pmf } = window;
  const c = alpha - 1 + q;
  const b = 1 - alpha * (1 - q);
  const ratio = (k: number) => (k === 0 ? 0 : (k * (1 - p)) / ((m - k + 1) * p));
  let added = 0;
  let removed = 0;
  for (let i = 0; i < pmf.length; i++) {
    const k = lo + i;
    const r = p >= 1 ? (k === m ? 0 : Infinity) : p <= 0 ? (k === 0 ? 0 : Infinity) : ratio(k);
    if (q * r > c) added += pmf[i] * (q * r - c);
    if (b > alpha * q * r) removed += pmf[i] * (b - alpha * q * r);
  }
  // The term just past the window, q P(hi) - c P(hi + 1), is not small when P(hi) is not (all the mass at
  // k = 0, say): it is computed from P(hi). At hi = m it is q P(m), M' = m + 1 occurring under D' alone.
  const hi = lo + pmf.length - 1;
  const next = hi < m ? (pmf[pmf.length - 1] * (m - hi) * p) / ((hi + 1) * (1 - p)) : 0;
  added += Math.max(0, q * pmf[pmf.length - 1] - c * next);
  // Every other term outside the window is at most q (resp. b) times the mass beyond it.
  added += q * (window.above + window.below);
  if (b > 0) removed += b * (window.above + window.below);
  return [added, removed];
}

interface Block {
  /** P(|S| in the block), over-estimated. */
  readonly weight: number;
  /** n - s at the block's largest s: the block's divergence is at most the one computed there. */
  readonly m: number;
  readonly window: Window;
}

/** The law of |S| cut into blocks, each with the clone count's law at its smallest n - s. */
function blocksOf(release: SampledRelease): { blocks: Block[]; p: number; beyond: number } {
  const { q, epsilon } = release;
  const clone = q * Math.exp(-epsilon);
  const other = q * -Math.expm1(-epsilon);
  const p = clone / (1 - other);
  // Fewer rows only make delta larger: cap n where the clone count's spread stops mattering, and where
  // the spread of |S| would make its law costly to hold (a large epsilon0 makes clones rare and S wide).
  const cap = Math.ceil((MAX_SD * MAX_SD) / Math.max(p * (1 - p), 1e-300) / Math.max(1 - other, 1e-300));
  const spread = Math.ceil((16 * MAX_SD * MAX_SD) / Math.max(other * (1 - other), 1e-300));
  const n = Math.max(0, Math.min(Math.floor(release.others), cap, spread));
  const s = binomialWindow(n, other);
  const blocks: Block[] = [];
  const width = Math.max(1, Math.ceil(s.pmf.length / BLOCKS));
  for (let start = 0; start < s.pmf.length; start += width) {
    let weight = 0;
    const end = Math.min(s.pmf.length, start + width);
    for (let i = start; i < end; i++) weight += s.pmf[i];
    // |S| below the window: bounded by the first block's divergence (more rows, smaller divergence).
    if (start === 0) weight += s.below;
    const m = n - (s.lo + end - 1);
    blocks.push({ weight, m, window: binomialWindow(m, p) });
  }
  // |S| above the window: any divergence here is at most q.
  return { blocks, p, beyond: s.above };
}

/** delta(epsilon') of the sampled, shuffled release: an upper bound on both hockey-stick divergences. */
export function amplificationDelta(release: SampledRelease, epsilonPrime: number): number {
  return deltaOver(blocksOf(release), release.q, epsilonPrime);
}

function deltaOver(laws: ReturnType<typeof blocksOf>, q: number, epsilonPrime: number): number {
  const alpha = Math.exp(epsilonPrime);
  let added = q * laws.beyond;
  let removed = q * laws.beyond;
  for (const block of laws.blocks) {
    const [a, r] = countDivergences(block.window, block.m, laws.p, q, alpha);
    added += block.weight * a;
    removed += block.weight * r;
  }
  return Math.min(1, Math.max(added, removed) * SLACK);
}

export interface AmplifiedCost {
  readonly epsilon: number;
  readonly delta: number;
}

/**
 * The smallest epsilon' (to 1e-6 relative, rounded up) at most the unamplified epsilon0 whose
 * delta is at most `deltaTarget`, with that delta; null when even epsilon0 needs more delta (too
 * few rows for this q).
 */
export function amplifiedCost(release: SampledRelease, deltaTarget: number): AmplifiedCost | null {
  const laws = blocksOf(release);
  const at = (e: number) => deltaOver(laws, release.q, e);
  if (at(release.epsilon) > deltaTarget) return null;
  let low = 0;
  let high = release.epsilon;
  while (high - low > 1e-6 * release.epsilon) {
    const mid = (low + high) / 2;
    if (at(mid) <= deltaTarget) high = mid;
    else low = mid;
  }
  return { epsilon: high, delta: at(high) };
}
