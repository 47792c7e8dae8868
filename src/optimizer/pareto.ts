/**
 * The privacy-utility-time front of a run's attempts (SPEC section 5): utility is the quality
 * score (higher is better), privacy the attempt's epsilon under DP or else its mia_auc (lower is
 * better), time its wall seconds (lower is better; not reported under DP, where it grows with the
 * private row count). An attempt is on the front when no other is at least as good on every
 * objective and strictly better on one. `--grid epsilon=...` is the case of one varying privacy.
 */

export const OBJECTIVES = ['utility', 'privacy', 'time'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export interface ObjectivePoint {
  /** The quality score, 0-100 (null: not judged). */
  readonly utility: number | null;
  /** Epsilon, or mia_auc without DP (null: not measured). */
  readonly privacy: number | null;
  readonly time: number | null;
}

/** Weights of the objectives that choose the kept point among the front's (`--prefer`). */
export type Preference = Readonly<Partial<Record<Objective, number>>>;

/** Each objective as a cost, lower better; what was not measured is worst. */
const costs = (p: ObjectivePoint): number[] => [-(p.utility ?? -Infinity), p.privacy ?? Infinity, p.time ?? Infinity];

const dominates = (a: readonly number[], b: readonly number[]): boolean =>
  a.every((x, i) => x <= b[i]) && a.some((x, i) => x < b[i]);

export function paretoFront(points: readonly ObjectivePoint[]): boolean[] {
  const all = points.map(costs);
  return all.map((p) => !all.some((q) => dominates(q, p)));
}

/**
 * The index among `candidates` (indices) that the preference favours: each objective is scaled to
 * [0, 1] over the candidates (1 the best), weighted and summed; ties keep the earlier candidate.
 */
export function preferredPoint(
  points: readonly ObjectivePoint[],
  candidates: readonly number[],
  prefer: Preference,
): number {
  const scaled = OBJECTIVES.map((_, j) => {
    const values = candidates.map((i) => costs(points[i])[j]);
    const finite = values.filter(Number.isFinite);
    const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
    return values.map((v) => (!Number.isFinite(v) ? 0 : hi > lo ? (hi - v) / (hi - lo) : 1));
  });
  let best = 0;
  let bestScore = -Infinity;
  candidates.forEach((_, k) => {
    const score = OBJECTIVES.reduce((s, o, j) => s + (prefer[o] ?? 0) * scaled[j][k], 0);
    if (score > bestScore) [best, bestScore] = [k, score];
  });
  return candidates[best];
}
