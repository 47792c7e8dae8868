/** Under DP a condition is checked against the released columns only (SPEC section 8), never the rows' levels. */
import type { ColumnStatistics } from '../core/column-statistics.js';
import type { ColumnTemplate } from '../models/column-template.js';

/** A released column as a condition sees it: its kind, and for categories the released levels alone. */
export const statisticsTemplate = (stats: ColumnStatistics): ColumnTemplate =>
  stats.kind === 'categorical'
    ? { name: stats.name, kind: 'categorical', levels: stats.levels.filter((level) => level !== stats.placeholder) }
    : { name: stats.name, kind: 'numeric' };
