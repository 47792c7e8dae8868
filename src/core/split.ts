/**
 * The seeded train/holdout split. It depends only on (row count, fraction, seed), so a report
 * that records those and the input's hash lets `evaluate --split` rebuild it without any real
 * row having been written to disk.
 */
import { createRng, permutation } from './rng.js';

export interface SplitSpec {
  readonly seed: number;
  readonly fraction: number;
}

export interface Split {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly holdout: Int32Array;
}

/** Salted so the split does not share a random stream with the model that uses the same seed. */
const SPLIT_SALT = 0x53504c54;

export const holdoutCount = (rows: number, fraction: number): number => Math.round(rows * fraction);

export function splitRows(rows: number, spec: SplitSpec): Split {
  const order = permutation(rows, createRng((spec.seed ^ SPLIT_SALT) >>> 0));
  const h = holdoutCount(rows, spec.fraction);
  return { holdout: order.slice(0, h).sort(), train: order.slice(h).sort() };
}
