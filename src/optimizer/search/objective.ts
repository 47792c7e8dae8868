/**
 * What the search minimises for one attempt or checkpoint: the quality score (SPEC section 5, its
 * utility objective) with the gate first: each failing check costs 120 points, more than the
 * score's range and the excess cost together, so fewer failing checks always win, as in the
 * standing; the excess over thresholds costs up to 10 more, so the surrogate still sees which red
 * attempt was closer.
 */
import type { Standing } from '../../metrics/checks.js';

const FAILING_CHECK_COST = 120;
const EXCESS_COST = 100;
const MAX_EXCESS_COST = 10;
/** An attempt nothing judged: worse than any judged one. */
export const UNJUDGED_LOSS = 1000;

export function searchLoss(standing: Standing, quality: number | null): number {
  if (!Number.isFinite(standing.failing)) return UNJUDGED_LOSS;
  const gate = FAILING_CHECK_COST * standing.failing + Math.min(MAX_EXCESS_COST, EXCESS_COST * standing.excess);
  return Math.round((gate - (quality ?? 0)) * 1000) / 1000;
}
