/** CTGAN/TVAE with high corr_delta: a larger embedding gives the generator room for the joint structure. */
import { scale, switchMethod } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const ctganCorr = failureRule({
  id: 'ctgan-corr',
  group: 'method',
  methods: ofFamily('gan', 'vae'),
  covers: ['HIGH_CORR_DELTA'],
  when: 'CTGAN/TVAE, corr_delta over its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_CORR_DELTA'])),
  cause: (failures) =>
    `${describeAll(failures)}: the columns' relationships are lost; the embedding is too small to carry them`,
  levers: [scale('embedding_dim', 2, { upTo: 512 }), switchMethod('ddpm')],
});
