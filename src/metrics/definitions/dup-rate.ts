import { RowIndex, rowHashes } from '../formulas/row-index.js';
import { ok, type Metric } from '../metric.js';

export const dupRate: Metric = {
  id: 'dup_rate',
  goal: 'minimize',
  range: [0, 1],
  description: 'share of synthetic rows equal to some real training row in every column',
  compute({ real, synthetic }) {
    const index = new RowIndex(real);
    const hashes = rowHashes(synthetic);
    let copies = 0;
    for (let i = 0; i < synthetic.rowCount; i++) if (index.contains(synthetic, i, hashes[i])) copies++;
    return ok(copies / synthetic.rowCount);
  },
};
