/**
 * AIM without DP, a privacy check fails: the exact marginals are fine enough to single rows out.
 * A privacy budget makes the release DP; otherwise coarser bins and a smaller model blur them.
 */
import { PRIVACY_FAILURES } from '../failures.js';
import { enableDp, scale } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const aimMemorisation = failureRule({
  id: 'aim-memorisation',
  group: 'method',
  methods: ofFamily('marginals'),
  covers: PRIVACY_FAILURES,
  when: 'AIM without DP, mia_auc or dup_rate over its threshold',
  match: (s, failures) => (s.dp ? null : nonEmpty(only(failures, PRIVACY_FAILURES))),
  cause: (failures) =>
    `${describeAll(failures)}: exact marginals this fine single out training rows, which sampling then copies`,
  levers: [enableDp(2), scale('bins', 0.5, { atLeast: 8 }), scale('max_model_mb', 0.5, { atLeast: 0.1 })],
});
