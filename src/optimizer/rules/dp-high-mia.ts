/**
 * Under DP, privacy still fails: lower epsilon. A smaller epsilon means more noise and more
 * privacy (the older internal table had this the other way round).
 */
import { PRIVACY_FAILURES } from '../failures.js';
import { scale, scaleEpsilon } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';

export const dpHighMia = failureRule({
  id: 'dp-high-mia',
  group: 'dp',
  covers: PRIVACY_FAILURES,
  when: 'under DP, mia_auc or dup_rate over its threshold',
  match: (s, failures) => (s.dp ? nonEmpty(only(failures, PRIVACY_FAILURES)) : null),
  cause: (failures, s) =>
    `${describeAll(failures)} at epsilon ${s.dp!.epsilon}: the noise does not hide the training rows; lower epsilon adds noise`,
  levers: [scaleEpsilon(0.5, 0.1), scale('n_iter', 0.75, { atLeast: 50 })],
});
