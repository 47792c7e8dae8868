/** KS 0.08 up to the threshold: passing, but close; a preventive +50 epochs. */
import { step } from '../levers.js';
import { ksTierRule } from './ks-tier.js';

export const tabddpmKsNear = ksTierRule({
  id: 'tabddpm-ks-near',
  severity: 'near',
  above: 0.08,
  upTo: 0.1,
  nIter: step('n_iter', 50, { upTo: 800 }),
  meaning: 'the model fits, with little margin for another seed or a larger sample',
});
