/**
 * Under DP, a DP-SGD method's utility fails while privacy holds: switch to AIM at the same
 * epsilon before spending more. At budgets of about 10 and below DP-SGD's noise drowns the
 * gradients, while AIM's noisy marginals keep the columns and their pairs (bench/results/dp-*.md).
 * Only where AIM can be trained; otherwise dp-low-utility raises epsilon.
 */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { switchMethod } from '../levers.js';
import { allFailures, describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_WITH_DP_SGD } from '../rule.js';

export const dpUtilityToAim = failureRule({
  id: 'dp-utility-to-aim',
  group: 'dp',
  methods: TRAINED_WITH_DP_SGD,
  covers: UTILITY_FAILURES,
  when: 'DP-SGD, utility fails while privacy passes, and AIM is available',
  match: (s, failures) =>
    s.dp && s.can.methods.includes('aim') && only(allFailures(s), PRIVACY_FAILURES).length === 0
      ? nonEmpty(only(failures, UTILITY_FAILURES))
      : null,
  cause: (failures, s) =>
    `${describeAll(failures)} at epsilon ${s.dp!.epsilon}: DP-SGD's noise drowns the gradients at this budget; AIM measures marginals with noise that does not grow with training steps`,
  levers: [switchMethod('aim')],
});
