/** Only utility fails (privacy passes): train longer, +100-200 epochs; at the cap, a larger model. */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { scale, step } from '../levers.js';
import { allFailures, describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_BY_EPOCHS } from '../rule.js';

export const onlyUtility = failureRule({
  id: 'only-utility',
  group: 'combination',
  methods: TRAINED_BY_EPOCHS,
  covers: UTILITY_FAILURES,
  when: 'only utility checks fail',
  match: (s, failures) =>
    only(allFailures(s), PRIVACY_FAILURES).length ? null : nonEmpty(only(failures, UTILITY_FAILURES)),
  cause: (failures) => `${describeAll(failures)} while privacy passes: the model is undertrained, not overfitted`,
  levers: [step('n_iter', 150), scale('width', 2, { upTo: 512 }), scale('embedding_dim', 2, { upTo: 512 })],
});
