/**
 * A detector tells the synthetic rows apart, or a model trained on them predicts worse: the
 * columns may each look right, but the rows are wrong together. The joint structure is what a
 * generator learns last, so train longer first, then give the model more capacity.
 */
import { scale, step } from '../levers.js';
import { describeAll, failureRule, nonEmpty, only } from './failure-rule.js';
import { TRAINED_BY_EPOCHS } from '../rule.js';

export const jointStructure = failureRule({
  id: 'joint-structure',
  group: 'method',
  methods: TRAINED_BY_EPOCHS,
  covers: ['HIGH_DETECTION', 'LOW_ML_EFFICACY'],
  when: 'detection_auc over, or ml_efficacy under, its threshold',
  match: (_s, failures) => nonEmpty(only(failures, ['HIGH_DETECTION', 'LOW_ML_EFFICACY'])),
  cause: (failures) =>
    `${describeAll(failures)}: the synthetic rows are told apart from real ones (or predict worse), so the model has not learnt how the columns go together`,
  levers: [step('n_iter', 100), scale('width', 2, { upTo: 512 }), scale('embedding_dim', 2, { upTo: 512 })],
});
