import { rocAuc } from '../stats.js';
import { notEvaluated, ok, type Metric } from '../metric.js';

/** Distance attack: a row close to some synthetic row is guessed to be a training member. */
export const miaAuc: Metric = {
  id: 'mia_auc',
  goal: 'minimize',
  range: [0, 1],
  description: 'ROC AUC of a distance-based membership attack (members R vs non-members H); 0.5 learns nothing',
  async compute({ privacy, holdout }) {
    if (!holdout) return notEvaluated('needs holdout rows: a holdout table, or the split of a generate report');
    const distances = await privacy();
    const score = (d: Float64Array) => Float64Array.from(d, (x) => -x);
    return ok(rocAuc(score(distances.realToSynthetic), score(distances.holdoutToSynthetic!)));
  },
};
