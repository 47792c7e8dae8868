/** Training took longer than the time budget: fewer epochs, larger batches, or a sample of the rows. */
import { formatDuration } from '../../core/text/duration.js';
import { leverLabels, pullFirst, scale } from '../levers.js';
import type { Rule } from '../rule.js';

const ID = 'too-slow';
const LEVERS = [
  scale('n_iter', 0.75, { atLeast: 300 }),
  scale('batch_size', 2, { upTo: 4096 }),
  scale('iterations', 0.5, { atLeast: 10 }),
  scale('max_model_mb', 0.5, { atLeast: 1 }),
];

export const tooSlow: Rule = {
  id: ID,
  group: 'speed',
  covers: [],
  summary: `training longer than the time budget (15 min): ${leverLabels(LEVERS)} (each where the method has it); or train on a sample`,
  applies(situation) {
    const seconds = situation.trainSeconds;
    if (seconds === null || seconds <= situation.timeBudgetSeconds) return null;
    const took = `training took ${formatDuration(seconds)}`;
    return {
      rule: ID,
      failures: [],
      severity: seconds > 2 * situation.timeBudgetSeconds ? 'severe' : 'standard',
      cause: `${took}, over the ${formatDuration(situation.timeBudgetSeconds)} budget`,
      evidence: [{ source: 'training.seconds', finding: took }],
      advice: ['or train on a uniform sample of the rows'],
    };
  },
  suggest: (_d, situation, taken) => pullFirst(LEVERS, situation, taken, ID, 'too slow'),
};
