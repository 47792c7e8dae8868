/**
 * A metric's goal in words. "minimize" misleads for a value with an ideal (dcr_train_share: near
 * |R| / (|R| + |H|), which its message states), and a check beyond the metrics (sample_spread) has
 * no goal of its own: its direction comes from the check.
 */
import type { Check } from '../../metrics/checks.js';

const WORDS: Record<string, string> = { minimize: 'lower is better', maximize: 'higher is better' };

/** Metrics judged by their distance to an ideal that depends on the run; the message carries it ("ideal 0.800"). */
const IDEAL_METRICS = new Set(['dcr_train_share']);

/** The run's ideal of a metric judged by its distance to one (its message states it), else null. */
export const idealOf = (id: string, message: string | undefined): string | null =>
  IDEAL_METRICS.has(id) ? (message?.match(/ideal (\d+(?:\.\d+)?)/)?.[1] ?? null) : null;

export function goalText(id: string, goal: string | undefined, message?: string): string {
  if (IDEAL_METRICS.has(id)) {
    const ideal = idealOf(id, message);
    return ideal ? `near its ideal ${ideal}` : 'near its ideal |R| / (|R| + |H|)';
  }
  return goal ? (WORDS[goal] ?? goal) : '';
}

/** The goal of a check without a metric: its direction. */
export const checkGoalText = (check: Pick<Check, 'op'>): string =>
  check.op === '<=' ? 'lower is better' : 'higher is better';
