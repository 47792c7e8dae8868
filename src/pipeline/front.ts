/**
 * The attempts on the privacy-utility-time front (optimizer/pareto.ts), and the kept attempt
 * under `--prefer`: among the attempts of the best standing's greenness and failing count (the
 * gate decides first), the front's point the weights favour.
 */
import { compareStandings } from '../metrics/checks.js';
import { paretoFront, preferredPoint, type ObjectivePoint, type Preference } from '../optimizer/pareto.js';
import type { AttemptOutcome } from './attempt.js';

type Judged = Pick<AttemptOutcome, 'evaluation' | 'epsilon' | 'seconds' | 'pruned'>;

/** An attempt's three objectives; its time is not one under DP, where it grows with the private row count. */
export function objectivePoint(a: Judged, privateOutput: boolean): ObjectivePoint {
  return {
    utility: a.evaluation?.quality?.score ?? null,
    // mia_auc's ideal is 0.5: an attack below chance is as informative as one above.
    privacy: a.epsilon ?? distanceFromChance(a.evaluation?.metrics.mia_auc?.value ?? null),
    time: privateOutput ? null : a.seconds.train + a.seconds.sample + a.seconds.evaluate,
  };
}

/** Which attempts are on the front; a pruned attempt, never finished, is on none. */
export function attemptsFront(attempts: readonly Judged[], privateOutput: boolean): boolean[] {
  const finished = attempts.filter((a) => !a.pruned);
  const front = paretoFront(finished.map((a) => objectivePoint(a, privateOutput)));
  return attempts.map((a) => (a.pruned ? false : front[finished.indexOf(a)]));
}

/** The kept attempt among the held ones, and why when a preference chose it. */
export function keptByPreference(
  held: readonly AttemptOutcome[],
  prefer: Preference | undefined,
  privateOutput: boolean,
): { kept: AttemptOutcome; reason: string | null } {
  const byStanding = held.reduce((best, h) => (compareStandings(h.standing, best.standing) < 0 ? h : best));
  if (!prefer || held.length < 2) return { kept: byStanding, reason: null };
  const top = held.filter(
    (h) => h.standing.allGreen === byStanding.standing.allGreen && h.standing.failing === byStanding.standing.failing,
  );
  // Only the objectives with a weight: a time measured but not asked for must not decide.
  const points = top.map((h) => weighed(objectivePoint(h, privateOutput), prefer));
  const front = paretoFront(points);
  const candidates = top.map((_, i) => i).filter((i) => front[i]);
  const kept = top[preferredPoint(points, candidates, prefer)];
  const weights = Object.entries(prefer)
    .map(([o, w]) => `${o}=${w}`)
    .join(',');
  const among = `${candidates.length} front point(s) of the ${top.length} attempt(s) ${byStanding.standing.allGreen ? 'all green' : `failing ${byStanding.standing.failing} check(s)`}`;
  return { kept, reason: `the preference ${weights}: attempt ${kept.attempt} among ${among}` };
}

const distanceFromChance = (auc: number | null): number | null => (auc === null ? null : Math.abs(auc - 0.5));

/** The point with the objectives the preference gives no weight left unmeasured (null), so they decide nothing. */
const weighed = (p: ObjectivePoint, prefer: Preference): ObjectivePoint => ({
  utility: (prefer.utility ?? 0) > 0 ? p.utility : null,
  privacy: (prefer.privacy ?? 0) > 0 ? p.privacy : null,
  time: (prefer.time ?? 0) > 0 ? p.time : null,
});
