/**
 * The train/holdout split (SPEC sections 8 and 9): a row is held out when a keyed hash of its
 * content falls below the fraction, and (when the run makes choices) goes to the validation split
 * when it falls in the next band. Membership depends on the row and the key alone, so adding a row
 * moves no other row, copies of a row land on the same side, and `evaluate --split` rebuilds the
 * split from the input and the key without any real row having been written to disk. The holdout
 * holds about `fraction` of the rows (a binomial count, not an exact one).
 */
import { keyedHash53, rowContentOf } from './row-digest.js';
import type { Table } from './table.js';

export interface SplitSpec {
  /** The hash's key: the run's --seed, or a random one. */
  readonly seed: number;
  /** The holdout's share, kept for the reported privacy and utility figures. */
  readonly fraction: number;
  /** The validation split's share (none: 0), which judges checkpoints and attempts instead of the holdout. */
  readonly validation?: number;
}

export interface Split {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly holdout: Int32Array;
  readonly validation: Int32Array;
}

/** Where a row goes: training, the holdout or the validation split. */
export const SIDE = { train: 0, holdout: 1, validation: 2 } as const;

/** Salted so the split does not share a key with the model that uses the same seed. */
const SPLIT_SALT = 0x53504c54;
const TWO_53 = 2 ** 53;

/** Where a hash in [0, 2^53) sends its row under `spec` (see rowSides). */
function sideOfHash(spec: SplitSpec): (u: number) => number {
  const holdout = spec.fraction * TWO_53;
  const validation = (spec.fraction + (spec.validation ?? 0)) * TWO_53;
  return (u) => (u < holdout ? SIDE.holdout : u < validation ? SIDE.validation : SIDE.train);
}

export const splitKey = (spec: SplitSpec): number => (spec.seed ^ SPLIT_SALT) >>> 0;

/**
 * Each row's side by its content: u = hash(content, key) / 2^53 goes to the holdout below the
 * holdout fraction, to the validation split in the next `validation` of [0, 1), to training above.
 */
export const rowSides = (contents: readonly string[], spec: SplitSpec): Uint8Array =>
  sidesOf(contents.length, (row) => contents[row], spec);

/** Each of `rows` rows' side, its content built when it is hashed (no string per row held at once). */
function sidesOf(rows: number, content: (row: number) => string, spec: SplitSpec): Uint8Array {
  const key = splitKey(spec);
  const side = sideOfHash(spec);
  const sides = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) sides[row] = side(keyedHash53(content(row), key));
  return sides;
}

/** Whether each row is held out (1) or not (0). */
export const holdoutFlags = (contents: readonly string[], spec: SplitSpec): Uint8Array =>
  rowSides(contents, { ...spec, validation: 0 });

/**
 * The split of a table's rows, each row's content hashed as it is built (rowSides over rowContents,
 * without a string per row held at once: on a million rows those strings outweigh the table).
 */
export function splitRows(table: Table, spec: SplitSpec): Split {
  const sides = sidesOf(table.rowCount, rowContentOf(table), spec);
  const counts = [0, 0, 0];
  for (const s of sides) counts[s]++;
  const parts = counts.map((count) => new Int32Array(count));
  const filled = [0, 0, 0];
  sides.forEach((s, row) => (parts[s][filled[s]++] = row));
  const [train, holdout, validation] = parts;
  return { train, holdout, validation };
}
