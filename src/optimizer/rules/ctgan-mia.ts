/** CTGAN/TVAE with high MIA: the generator memorises; DP-SGD, or TabDDPM. */
import { enableDp, switchMethod } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { ofFamily } from '../rule.js';

export const ctganMia = failureRule({
  id: 'ctgan-mia',
  group: 'method',
  methods: ofFamily('gan', 'vae'),
  covers: ['HIGH_MIA'],
  when: 'CTGAN/TVAE without DP, mia_auc over its threshold',
  match: (s, failures) => (s.dp ? null : nonEmpty(only(failures, ['HIGH_MIA']))),
  cause: (failures) =>
    `${describeAll(failures)}: synthetic rows sit closer to the training rows than to unseen ones, so membership can be guessed`,
  levers: [enableDp(2), switchMethod('ddpm')],
});
