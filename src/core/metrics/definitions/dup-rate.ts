import { rowKeys } from '../formulas/row-keys.js';
import { ok, type Metric } from '../metric.js';

export const dupRate: Metric = {
  id: 'dup_rate',
  goal: 'minimize',
  range: [0, 1],
  description: 'share of synthetic rows equal to some real training row in every column',
  compute({ real, synthetic }) {
    const known = new Set(rowKeys(real));
    let copies = 0;
    for (const key of rowKeys(synthetic)) if (known.has(key)) copies++;
    return ok(copies / synthetic.rowCount);
  },
};
