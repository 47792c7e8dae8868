/** Privacy fails alongside utility, without DP: DP-SGD, else regularise the denoiser (dropout). */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { enableDp, step } from '../levers.js';
import { allFailures, describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_BY_EPOCHS } from '../rule.js';

export const memorisation = failureRule({
  id: 'memorisation',
  group: 'combination',
  methods: TRAINED_BY_EPOCHS,
  covers: PRIVACY_FAILURES,
  when: 'privacy and utility checks both fail, without DP',
  match: (s, failures) =>
    s.dp || only(allFailures(s), UTILITY_FAILURES).length === 0 ? null : nonEmpty(only(failures, PRIVACY_FAILURES)),
  cause: (failures) =>
    `${describeAll(failures)}: some synthetic rows copy training rows while the distribution is still off`,
  levers: [enableDp(2), step('dropout', 0.1, { upTo: 0.3 })],
});
