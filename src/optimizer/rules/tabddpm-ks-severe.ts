/** KS 0.20-0.50: badly undertrained; +200 epochs, at least 500 (capped at 800, the table's highest cap). */
import { step } from '../levers.js';
import { ksTierRule } from './ks-tier.js';

export const tabddpmKsSevere = ksTierRule({
  id: 'tabddpm-ks-severe',
  severity: 'severe',
  above: 0.2,
  upTo: 0.5,
  nIter: step('n_iter', 200, { atLeast: 500, upTo: 800 }),
  meaning: 'the model is badly undertrained',
});
