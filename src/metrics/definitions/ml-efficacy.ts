import { mlEfficacy } from '../learned/ml-efficacy.js';
import { notApplicable, notEvaluated, ok, type Metric } from '../metric.js';

/** Train on R and on S, score both on H: S's macro F1 (or R^2) as a share of R's. */
export const mlEfficacyMetric: Metric = {
  id: 'ml_efficacy',
  goal: 'maximize',
  range: [0, Infinity],
  optIn: 'needs a target column to predict (name one as the target)',
  description:
    "a gradient-boosted trees model trained on S, scored on H, against one trained on R: S's macro F1 (or R^2) over R's",
  compute({ real, synthetic, holdout, target, seed }) {
    if (!target) return notApplicable(mlEfficacyMetric.optIn!);
    if (!holdout) return notEvaluated('needs holdout rows: a holdout table, or the split of a generate report');
    const result = mlEfficacy(real, synthetic, holdout, target, { seed });
    const details = {
      target: result.target,
      task: result.task,
      score: result.score,
      real: result.real,
      synthetic: result.synthetic,
      ratio: result.ratio,
      rows: result.rows,
    };
    const value = result.ratio[result.score];
    if (value === null)
      return {
        ...notEvaluated(`the model trained on real rows scores ${result.score} ${result.real[result.score]}`),
        details,
      };
    // Below 0 (an R^2 worse than predicting the mean) is as bad as 0.
    return ok(Math.max(value, 0), { details });
  },
};
