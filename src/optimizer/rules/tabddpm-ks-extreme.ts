/** KS over 0.70 (or samples piled at the range edges): the model did not learn; +300 epochs up to 800, and look at training and preprocessing. */
import { step } from '../levers.js';
import { ksTierRule } from './ks-tier.js';

export const tabddpmKsExtreme = ksTierRule({
  id: 'tabddpm-ks-extreme',
  severity: 'extreme',
  above: 0.7,
  upTo: Infinity,
  nIter: step('n_iter', 300, { upTo: 800 }),
  meaning: 'the model did not learn the distribution',
  advice: [
    'check that training completed (the report gives epochs done against epochs planned)',
    'check the preprocessing: numeric columns read as numbers, identifiers and free text left out, coded categories declared discrete',
  ],
});
