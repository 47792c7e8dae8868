/**
 * AIM under DP, utility fails while privacy holds. Fewer planned rounds make each measurement
 * less noisy (the budget is split over fewer of them); coarser bins put more rows in each cell
 * of every marginal against the same noise; only then a higher epsilon, never above the stated
 * maximum.
 */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { scale, scaleEpsilon } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const aimDpUtility = failureRule({
  id: 'aim-dp-utility',
  group: 'dp',
  methods: ofFamily('marginals'),
  covers: UTILITY_FAILURES,
  when: 'AIM under DP, utility fails while privacy passes',
  match: (s, failures) =>
    s.dp && only(failures, PRIVACY_FAILURES).length === 0 ? nonEmpty(only(failures, UTILITY_FAILURES)) : null,
  cause: (failures, s) =>
    `${describeAll(failures)} at epsilon ${s.dp!.epsilon}: the marginals' noise is large against the rows in their cells`,
  levers: [scale('rounds_per_column', 0.5, { atLeast: 4 }), scale('bins', 0.5, { atLeast: 8 }), scaleEpsilon(2, 0)],
});
