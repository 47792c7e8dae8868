import type { ColumnStatistics } from '../../src/core/column-statistics.js';
import { createRng } from '../../src/core/rng.js';
import type { Table } from '../../src/core/table.js';
import type { TrainingPrivacy } from '../../src/models/synthesizer.js';

/** A small table for DP fits: x in [10, 15] and a group whose third level (named `rare`) only row 0 holds. */
export function smallDpTable(rows: number, rare = 'c'): Table {
  const rng = createRng(7);
  const codes = Int32Array.from({ length: rows }, (_, i) => (i === 0 ? 2 : rng.int(2)));
  return {
    rowCount: rows,
    columns: [
      { name: 'x', kind: 'numeric', values: Float64Array.from({ length: rows }, () => 10 + 5 * rng.next()) },
      { name: 'group', kind: 'categorical', codes, levels: ['a', 'b', rare] },
    ],
  };
}

/** What DP preprocessing would release for smallDpTable: bounds and quantiles of x, and a and b but not the one-row level. */
export const SMALL_DP_STATISTICS: ColumnStatistics[] = [
  { kind: 'numeric', name: 'x', min: 10, max: 15, quantiles: [10, 11, 12.5, 14, 15], step: 0, missing: true },
  { kind: 'categorical', name: 'group', levels: ['a', 'b', '(other)'], placeholder: '(other)', missing: false },
];

/** The fit options of a short DP-SGD fit on smallDpTable: seed 3, two threads, the fused engine, its statistics. */
export const smallDpFitOptions = (privacy: TrainingPrivacy) => ({
  seed: 3,
  threads: 2,
  backend: 'fused' as const,
  privacy,
  statistics: SMALL_DP_STATISTICS,
});
