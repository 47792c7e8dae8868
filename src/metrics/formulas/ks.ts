import { sortedPresent } from '../sorted-present.js';

/**
 * Two-sample Kolmogorov-Smirnov statistic sup_x |F_a(x) - F_b(x)| over non-missing values:
 * 1 when only one side has values, null when neither has.
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number | null {
  const x = sortedPresent(a);
  const y = sortedPresent(b);
  if (x.length === 0 && y.length === 0) return null;
  if (x.length === 0 || y.length === 0) return 1;
  let i = 0;
  let j = 0;
  let sup = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    const gap = Math.abs(i / x.length - j / y.length);
    if (gap > sup) sup = gap;
  }
  return sup;
}
