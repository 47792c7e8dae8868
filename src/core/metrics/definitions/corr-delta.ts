import { pairAssociation } from '../formulas/pair-association.js';
import { notApplicable, ok, type Metric } from '../metric.js';

export const corrDelta: Metric = {
  id: 'corr_delta',
  goal: 'minimize',
  range: [0, 2],
  description: "mean |association_R - association_S| over column pairs (Pearson r, Cramer's V, correlation ratio)",
  compute({ real, synthetic }) {
    const n = real.columns.length;
    if (n < 2) return notApplicable('fewer than two columns');
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = pairAssociation(real.columns[i], real.columns[j]);
        const b = pairAssociation(synthetic.columns[i], synthetic.columns[j]);
        sum += Math.abs(a - b);
        pairs++;
      }
    }
    return ok(sum / pairs);
  },
};
