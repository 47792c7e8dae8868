/** KS 0.10-0.20: the shape is learnt, the detail is not; +100 epochs up to 600. */
import { step } from '../levers.js';
import { ksTierRule } from './ks-tier.js';

export const tabddpmKsStandard = ksTierRule({
  id: 'tabddpm-ks-standard',
  severity: 'standard',
  above: 0.1,
  upTo: 0.2,
  nIter: step('n_iter', 100, { upTo: 600 }),
  meaning: 'the model has the overall shape of the columns but not their detail',
});
