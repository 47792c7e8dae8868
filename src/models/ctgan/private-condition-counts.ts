/**
 * The category weights DP-CTGAN's conditional vectors draw from, per discrete span: never counted
 * from the rows. Where DP preprocessing estimated a column's levels, the stability histogram's
 * noisy counts (released with the levels: post-processing), rounded; where the levels were
 * declared public (no counts) or no class has weight, every class weighs the same. The
 * placeholder and the missing class weigh nothing where counts exist: nothing counted their rows.
 */
import type { ColumnStatistics } from '../../core/column-statistics.js';
import type { ModeLayout } from '../transformers/mode-layout.js';

export function privateConditionCounts(
  layout: ModeLayout,
  statistics: readonly ColumnStatistics[] | undefined,
): number[][] {
  return layout.categorical.map(({ column, codes }) => {
    const stats = statistics?.[column];
    const counts = stats?.kind === 'categorical' ? stats.counts : undefined;
    const weights = codes.map((code) => (counts && code >= 0 ? Math.max(0, Math.round(counts[code] ?? 0)) : 0));
    return weights.some((w) => w > 0) ? weights : codes.map(() => 1);
  });
}
