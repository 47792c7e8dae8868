/** TabDDPM with high corr_delta: larger batches show the denoiser more of each joint pattern per step. */
import { scale, step } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const tabddpmCorr = failureRule({
  id: 'tabddpm-corr',
  group: 'method',
  methods: ofFamily('diffusion'),
  covers: ['HIGH_CORR_DELTA'],
  when: 'TabDDPM, corr_delta over its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_CORR_DELTA'])),
  cause: (failures) =>
    `${describeAll(failures)}: the columns are right one by one but their relationships are not; a larger batch gives each step more of the joint patterns`,
  levers: [scale('batch_size', 2, { upTo: 4096 }), scale('width', 2, { upTo: 512 }), step('n_iter', 100)],
});
