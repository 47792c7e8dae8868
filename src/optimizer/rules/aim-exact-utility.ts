/**
 * AIM without DP, utility fails. Its exact model is limited by the bins (which the decode
 * cannot go finer than), by the order of the marginals it may add, and by how many rounds and
 * how large a model it may grow: finer bins for the columns' own distributions, then richer
 * structure for how they go together.
 */
import { PRIVACY_FAILURES, UTILITY_FAILURES } from '../failures.js';
import { scale, step } from '../levers.js';
import { allFailures, describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

const MARGINAL: readonly string[] = ['HIGH_KS', 'HIGH_TVD'];

export const aimExactUtility = failureRule({
  id: 'aim-exact-utility',
  group: 'method',
  methods: ofFamily('marginals'),
  covers: UTILITY_FAILURES,
  when: 'AIM without DP, utility fails while privacy passes',
  match: (s, failures) =>
    s.dp || only(allFailures(s), PRIVACY_FAILURES).length ? null : nonEmpty(only(failures, UTILITY_FAILURES)),
  cause: (failures) =>
    failures.every((f) => MARGINAL.includes(f.type))
      ? `${describeAll(failures)}: the bins are too coarse for the columns' distributions`
      : `${describeAll(failures)}: the model holds too few or too small marginals for how the columns go together`,
  levers: [
    scale('bins', 2, { upTo: 128 }),
    step('degree', 1, { upTo: 3 }),
    scale('rounds_per_column', 2, { upTo: 64 }),
    scale('max_model_mb', 2, { upTo: 640 }),
  ],
});
