/** KS 0.50-0.70: barely trained; +200 epochs, at least 500, up to 600. */
import { step } from '../levers.js';
import { ksTierRule } from './ks-tier.js';

export const tabddpmKsCritical = ksTierRule({
  id: 'tabddpm-ks-critical',
  severity: 'critical',
  above: 0.5,
  upTo: 0.7,
  nIter: step('n_iter', 200, { atLeast: 500, upTo: 600 }),
  meaning: 'the model has barely started to learn the distribution',
});
