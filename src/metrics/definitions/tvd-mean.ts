import { isCategorical, type CategoricalColumn } from '../../core/table.js';
import { totalVariation } from '../formulas/tvd.js';
import { notApplicable, ok, type Metric } from '../metric.js';
import { mean } from '../stats.js';

export const tvdMean: Metric = {
  id: 'tvd_mean',
  goal: 'minimize',
  range: [0, 1],
  description: 'mean total variation distance over categorical columns (missing is a category)',
  compute({ real, synthetic }) {
    const perColumn: Record<string, number> = {};
    real.columns.forEach((column, i) => {
      if (!isCategorical(column)) return;
      perColumn[column.name] = totalVariation(
        column.codes,
        (synthetic.columns[i] as CategoricalColumn).codes,
        column.levels.length,
      );
    });
    const values = Object.values(perColumn);
    if (values.length === 0) return notApplicable('no categorical column');
    return ok(mean(values), { perColumn });
  },
};
