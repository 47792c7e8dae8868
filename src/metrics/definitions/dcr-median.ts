import { median } from '../stats.js';
import { ok, type Metric } from '../metric.js';

export const dcrMedian: Metric = {
  id: 'dcr_median',
  goal: 'maximize',
  range: [0, Infinity],
  description: 'median distance from a synthetic row to its closest real training row',
  async compute({ privacy }) {
    return ok(median((await privacy()).syntheticToReal));
  },
};
