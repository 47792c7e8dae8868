/** Only privacy fails (utility passes): DP-SGD at epsilon 1-2, or TabDDPM; failing both, fewer epochs memorise less. */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { enableDp, scale, switchMethod } from '../levers.js';
import { allFailures, describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_BY_EPOCHS } from '../rule.js';

export const onlyPrivacy = failureRule({
  id: 'only-privacy',
  group: 'combination',
  methods: TRAINED_BY_EPOCHS,
  covers: PRIVACY_FAILURES,
  when: 'only privacy checks fail, without DP',
  match: (s, failures) =>
    s.dp || only(allFailures(s), UTILITY_FAILURES).length ? null : nonEmpty(only(failures, PRIVACY_FAILURES)),
  cause: (failures) =>
    `${describeAll(failures)} while utility passes: the model reproduces its training rows too closely`,
  levers: [enableDp(2), switchMethod('ddpm'), scale('n_iter', 0.75, { atLeast: 100 })],
});
