/** CTGAN/TVAE with high KS: more epochs; at the cap, larger batches, then TabDDPM. */
import { scale, step, switchMethod } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only, rowsText } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const ctganKs = failureRule({
  id: 'ctgan-ks',
  group: 'method',
  methods: ofFamily('gan', 'vae'),
  covers: ['HIGH_KS'],
  when: 'CTGAN/TVAE, KS over its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_KS'])),
  cause: (failures, s) =>
    `${describeAll(failures)}: the generator has not matched the columns' distributions in ${s.params.n_iter} epochs on ${rowsText(s)}`,
  levers: [step('n_iter', 100), scale('batch_size', 2), switchMethod('ddpm')],
});
