/**
 * Under DP, utility fails while privacy holds: raise epsilon (less noise), never above the
 * user's stated maximum; there, larger batches raise the signal against the same noise.
 */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { scale, scaleEpsilon } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_WITH_DP_SGD } from '../rule.js';

export const dpLowUtility = failureRule({
  id: 'dp-low-utility',
  group: 'dp',
  methods: TRAINED_WITH_DP_SGD,
  covers: UTILITY_FAILURES,
  when: 'DP-SGD, utility fails while privacy passes',
  match: (s, failures) =>
    s.dp && only(failures, PRIVACY_FAILURES).length === 0 ? nonEmpty(only(failures, UTILITY_FAILURES)) : null,
  cause: (failures, s) =>
    `${describeAll(failures)} at epsilon ${s.dp!.epsilon}: the DP noise drowns the signal; a higher epsilon adds less noise`,
  levers: [scaleEpsilon(2, 0), scale('batch_size', 2, { upTo: 4096 })],
});
