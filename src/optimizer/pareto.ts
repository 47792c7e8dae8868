/**
 * The Pareto front of DP attempts, privacy against quality: an attempt is on it when no other has
 * both an epsilon at most its own and a standing at least as good (the verdict's standing, the
 * one ranking of attempts), with one of the two strictly better.
 */
import { compareStandings, type Standing } from '../metrics/checks.js';

export interface PrivacyPoint {
  readonly epsilon: number;
  readonly standing: Standing;
}

export function paretoFront(points: readonly PrivacyPoint[]): boolean[] {
  return points.map(
    (p) =>
      !points.some((q) => {
        const quality = compareStandings(q.standing, p.standing);
        return q.epsilon <= p.epsilon && quality <= 0 && (q.epsilon < p.epsilon || quality < 0);
      }),
  );
}
