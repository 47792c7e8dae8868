/**
 * Under DP, the training side's row count of a file read out of core and the run's delta, as
 * generate FILE sets them in memory (privacy-plan.ts): the count the metadata file declares
 * (`rows`, less the holdout fraction), else a noisy count (Laplace) at COUNT_SHARE of epsilon; the
 * delta as the in-memory path sets it (rowsDelta).
 */
import type { TableMetadata } from '../core/schema/metadata.js';
import { releaseRowCount, type EstimatedColumn } from '../privacy/preprocessing/preprocess.js';
import type { StatisticsSource } from '../statistics/source.js';
import { rowsDelta } from './privacy-plan.js';

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
  const delta = rowsDelta(trainRows, declared !== undefined ? null : share, request.delta);
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
