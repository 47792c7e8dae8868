/**
 * Under DP, the training side's row count of a file read out of core and the run's delta, as
 * generate FILE sets them in memory (privacy-plan.ts): the count the metadata file declares
 * (`rows`, less the holdout fraction), else a noisy count (Laplace) at COUNT_SHARE of epsilon; the
 * delta 1/(10 n) by default, and refused unless below 1/n, n an upper bound the true count
 * exceeds with probability below COUNT_TAIL (post-processing of the released count).
 */
import { usageError } from '../core/errors.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import { releaseRowCount, type EstimatedColumn } from '../privacy/preprocessing/preprocess.js';
import type { StatisticsSource } from '../statistics/source.js';
import { COUNT_TAIL } from './privacy-plan.js';

/** Share of epsilon that releases the training side's count where the metadata file declares none. */
export const COUNT_SHARE = 0.05;

export interface FileRows {
  /** The training side's rows: declared, or released. */
  readonly trainRows: number;
  /** The input's rows as released: the training rows over the training share. */
  readonly inputRows: number;
  readonly how: string;
  readonly delta: number;
  /** The count's release (null: declared public). */
  readonly release: EstimatedColumn | null;
}

export async function fileRows(
  source: StatisticsSource,
  request: {
    readonly epsilon: number;
    readonly delta?: number;
    readonly metadata?: TableMetadata;
    readonly holdoutFraction: number;
  },
): Promise<FileRows> {
  const declared = request.metadata?.rows;
  const share = request.epsilon * COUNT_SHARE;
  const trainRows =
    declared !== undefined
      ? Math.max(2, Math.round(declared * (1 - request.holdoutFraction)))
      : releaseRowCount(await source.count(), share);
  const bound = declared !== undefined ? trainRows : trainRows + Math.ceil(Math.log(1 / (2 * COUNT_TAIL)) / share);
  const delta = request.delta ?? 1 / (10 * bound);
  if (!(delta < 1 / bound))
    throw usageError(
      `delta ${request.delta} is not below 1/n = ${Number((1 / bound).toPrecision(3))} for the ${bound} training rows the ${declared !== undefined ? 'declared' : 'released'} count allows: a delta that large allows releasing a row outright`,
      `Give a delta of ${Number((1 / (10 * bound)).toPrecision(3))} (1/(10 n), the default) or smaller.`,
    );
  return {
    trainRows,
    inputRows: declared ?? Math.max(1, Math.round(trainRows / (1 - request.holdoutFraction))),
    how:
      declared !== undefined
        ? `the declared row count ${declared} less the holdout fraction`
        : `a noisy count (Laplace, epsilon ${Number(share.toPrecision(6))})`,
    delta,
    release:
      declared !== undefined
        ? null
        : { column: '(rows)', how: 'noisy count of the training rows', epsilon: share, delta: null },
  };
}
