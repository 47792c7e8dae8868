import { isNumeric, type NumericColumn } from '../../core/table.js';
import { ksStatistic } from '../formulas/ks.js';
import { notApplicable, ok, type Metric } from '../metric.js';
import { mean } from '../stats.js';

export const ksMean: Metric = {
  id: 'ks_mean',
  goal: 'minimize',
  range: [0, 1],
  description: 'mean two-sample Kolmogorov-Smirnov statistic over numeric columns',
  compute({ real, synthetic }) {
    const perColumn: Record<string, number | null> = {};
    const warnings: string[] = [];
    const present: number[] = [];
    real.columns.forEach((column, i) => {
      if (!isNumeric(column)) return;
      const ks = ksStatistic(column.values, (synthetic.columns[i] as NumericColumn).values);
      perColumn[column.name] = ks;
      if (ks === null) warnings.push(`column '${column.name}' has no values in either table: left out of ks_mean`);
      else present.push(ks);
    });
    if (present.length === 0) return { ...notApplicable('no numeric column with values'), perColumn, warnings };
    return ok(mean(present), { perColumn, warnings });
  },
};
