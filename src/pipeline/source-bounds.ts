/**
 * The bounds of the numeric and date columns a metadata file does not declare, released under DP
 * from the source's counts (SPEC section 8: nothing about the rows outside the budget): the source
 * is a database table or one side of a file's split.
 */
import { optionError } from '../core/errors.js';
import type { ColumnStatistics } from '../core/column-statistics.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import { twoStageBounds } from '../privacy/noisy-histogram.js';
import type { StatisticsSource } from '../statistics/source.js';

/** Share of epsilon that releases the bounds the metadata file does not declare (as generate's preprocessing share). */
export const BOUNDS_SHARE = 0.2;

export interface ReleasedBounds {
  readonly column: string;
  readonly min: number;
  readonly max: number;
  readonly epsilon: number;
  readonly how: string;
}

/**
 * Each undeclared numeric or date column's bounds, from the two-stage noisy histogram (pure DP,
 * Laplace) over public edges, counted by the source; `epsilon` split evenly. The step is the
 * declared one, else a day for a date column and 1 for an integer one; quantiles are spread evenly (AIM reads
 * none); missing values are allowed. Fills `statistics` in place.
 */
export async function releaseBounds(
  source: StatisticsSource,
  statistics: (ColumnStatistics | undefined)[],
  metadata: TableMetadata | undefined,
  epsilon: number,
): Promise<ReleasedBounds[]> {
  const pending = statistics.flatMap((s, j) => (s ? [] : [j]));
  const each = epsilon / pending.length;
  const out: ReleasedBounds[] = [];
  for (const j of pending) {
    const column = source.columns[j];
    const estimate = await twoStageBounds((edges) => source.histogram(column.name, edges), each);
    if (!estimate)
      throw optionError(
        'input',
        'metadata',
        `could not release bounds for '${column.name}' with epsilon ${Number(each.toPrecision(4))}: too few rows for that epsilon`,
        `Declare them in the metadata file: {"columns": {"${column.name}": {"min": LOW, "max": HIGH}}}.`,
      );
    const [min, max] = estimate.bounds;
    const declared = metadata?.columns.get(column.name);
    const step =
      declared?.step ?? (column.kind === 'datetime' ? 86400 : column.integer || declared?.kind === 'integer' ? 1 : 0);
    statistics[j] = {
      kind: 'numeric',
      name: column.name,
      min,
      max,
      quantiles: Array.from({ length: 32 }, (_, k) => min + ((max - min) * k) / 31),
      step,
      missing: declared?.missing ?? true,
    };
    out.push({
      column: column.name,
      min,
      max,
      epsilon: each,
      how: 'two-stage noisy histogram (Laplace) over public edges',
    });
  }
  return out;
}
