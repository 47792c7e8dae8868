/**
 * The train/holdout split (SPEC section 8): a row is held out when a keyed hash of its content
 * falls below the fraction. Membership depends on the row and the key alone, so adding a row
 * moves no other row, copies of a row land on the same side, and `evaluate --split` rebuilds the
 * split from the input and the key without any real row having been written to disk. The holdout
 * holds about `fraction` of the rows (a binomial count, not an exact one).
 */
import { keyedHash53, rowContents } from './row-digest.js';
import type { Table } from './table.js';

export interface SplitSpec {
  /** The hash's key: the run's --seed, or a random one. */
  readonly seed: number;
  readonly fraction: number;
}

export interface Split {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly holdout: Int32Array;
}

/** Salted so the split does not share a key with the model that uses the same seed. */
const SPLIT_SALT = 0x53504c54;
const TWO_53 = 2 ** 53;

/** Whether each row (by its content) is held out: hash(content, key) / 2^53 < fraction. */
export function holdoutFlags(contents: readonly string[], spec: SplitSpec): Uint8Array {
  const key = (spec.seed ^ SPLIT_SALT) >>> 0;
  const threshold = spec.fraction * TWO_53;
  return Uint8Array.from(contents, (content) => (keyedHash53(content, key) < threshold ? 1 : 0));
}

export function splitRows(table: Table, spec: SplitSpec): Split {
  const flags = holdoutFlags(rowContents(table), spec);
  const train: number[] = [];
  const holdout: number[] = [];
  flags.forEach((held, row) => (held ? holdout : train).push(row));
  return { train: Int32Array.from(train), holdout: Int32Array.from(holdout) };
}
