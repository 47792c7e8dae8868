import { notEvaluated, ok, type Metric } from '../metric.js';

export const dcrTrainShare: Metric = {
  id: 'dcr_train_share',
  goal: 'minimize',
  range: [0, 1],
  description:
    'share of synthetic rows whose closest row in R union H lies in R (ties count one half); ideal |R|/(|R|+|H|)',
  async compute({ privacy, holdout }) {
    if (!holdout) return notEvaluated('needs holdout rows: a holdout table, or the split of a generate report');
    const distances = await privacy();
    const toReal = distances.syntheticToReal;
    const toHoldout = distances.syntheticToHoldout!;
    let share = 0;
    for (let i = 0; i < toReal.length; i++)
      share += toReal[i] < toHoldout[i] ? 1 : toReal[i] === toHoldout[i] ? 0.5 : 0;
    const ideal = distances.rows.real / (distances.rows.real + distances.rows.holdout!);
    return ok(share / toReal.length, { message: `ideal ${ideal.toFixed(3)}` });
  },
};
