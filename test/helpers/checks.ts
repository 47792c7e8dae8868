import type { Check } from '../../src/metrics/checks.js';

/** generate's own sample check, failing: the sampled values pile up at the edges (value 0.6 against 0.2). */
export const failingSpread = (message = 'piled up'): Check => ({
  metric: 'sample_spread',
  op: '<=',
  threshold: 0.2,
  value: 0.6,
  status: 'fail',
  excess: 0.4,
  message,
});
