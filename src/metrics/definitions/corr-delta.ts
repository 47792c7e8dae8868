import { formatCount } from '../../core/text/format.js';
import { columnPairs } from '../formulas/column-pairs.js';
import { pairAssociation } from '../formulas/pair-association.js';
import { notApplicable, ok, type Metric } from '../metric.js';

export const corrDelta: Metric = {
  id: 'corr_delta',
  goal: 'minimize',
  range: [0, 2],
  description: "mean |association_R - association_S| over column pairs (Pearson r, Cramer's V, correlation ratio)",
  compute({ real, synthetic, seed }) {
    const n = real.columns.length;
    if (n < 2) return notApplicable('fewer than two columns');
    const pairs = columnPairs(n, undefined, seed);
    let sum = 0;
    for (let k = 0; k < pairs.first.length; k++) {
      const [i, j] = [pairs.first[k], pairs.second[k]];
      const a = pairAssociation(real.columns[i], real.columns[j]);
      const b = pairAssociation(synthetic.columns[i], synthetic.columns[j]);
      sum += Math.abs(a - b);
    }
    const count = pairs.first.length;
    if (!pairs.sampled) return ok(sum / count);
    const note = `corr_delta averages a seeded sample of ${formatCount(count)} of the ${formatCount(pairs.total)} column pairs`;
    return ok(sum / count, { message: note, warnings: [note] });
  },
};
