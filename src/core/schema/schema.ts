import type { ColumnKind } from '../table.js';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Why the column got its kind, shown in --json and the terminal. */
  readonly reason: string;
  /** A categorical column whose values are all numbers compares them as numbers ("1.0" = "1"). */
  readonly numericLabels?: boolean;
  /** A numeric column whose values are all whole numbers: under DP its rounding step comes from here, not the rows. */
  readonly integer?: boolean;
}

export interface Schema {
  readonly columns: ColumnSpec[];
}

export interface KindOverrides {
  /** Columns forced categorical (--discrete). */
  readonly discrete?: readonly string[];
  /** Columns forced numeric (--continuous). */
  readonly continuous?: readonly string[];
}
