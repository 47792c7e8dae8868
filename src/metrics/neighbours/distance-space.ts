/**
 * The distance of SPEC section 3: numeric columns min-max scaled with the training rows' range
 * (a constant column scales to 0), a 0/1 missing indicator for a numeric column with missing
 * values anywhere (a missing value scales to 0), and categorical columns compared exactly:
 * a mismatch adds 1 to the squared distance (one-hot times 1/sqrt 2), missing being a category.
 */
import { isNumeric, type CategoricalColumn, type NumericColumn, type Table } from '../../core/table.js';

export interface DistanceSpace {
  /** Per numeric column: index into table.columns, offset and scale. */
  readonly numeric: { column: number; min: number; range: number; indicator: boolean }[];
  /** Indices into table.columns of the categorical columns. */
  readonly categorical: number[];
}

export function buildDistanceSpace(train: Table, others: readonly Table[]): DistanceSpace {
  const numeric: DistanceSpace['numeric'] = [];
  const categorical: number[] = [];
  train.columns.forEach((column, index) => {
    if (isNumeric(column)) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of column.values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const indicator = [train, ...others].some((t) => hasMissing((t.columns[index] as NumericColumn).values));
      numeric.push({ column: index, min: Number.isFinite(min) ? min : 0, range: max > min ? max - min : 0, indicator });
      return;
    }
    categorical.push(index);
  });
  return { numeric, categorical };
}

function hasMissing(values: Float64Array): boolean {
  for (const v of values) if (Number.isNaN(v)) return true;
  return false;
}

/** Rows in float64 for exact distances: scaled numbers and indicators, and categorical codes. */
export interface ExactRows {
  readonly n: number;
  readonly width: number;
  readonly numbers: Float64Array;
  readonly categories: number;
  readonly codes: Int32Array;
}

export function exactRows(table: Table, space: DistanceSpace): ExactRows {
  const width = space.numeric.reduce((w, s) => w + (s.indicator ? 2 : 1), 0);
  const n = table.rowCount;
  const numbers = new Float64Array(n * width);
  let offset = 0;
  for (const spec of space.numeric) {
    const values = (table.columns[spec.column] as NumericColumn).values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const missing = Number.isNaN(v);
      numbers[i * width + offset] = missing || spec.range === 0 ? 0 : (v - spec.min) / spec.range;
      if (spec.indicator) numbers[i * width + offset + 1] = missing ? 1 : 0;
    }
    offset += spec.indicator ? 2 : 1;
  }
  const categories = space.categorical.length;
  const codes = new Int32Array(n * categories);
  space.categorical.forEach((column, c) => {
    const source = (table.columns[column] as CategoricalColumn).codes;
    for (let i = 0; i < n; i++) codes[i * categories + c] = source[i];
  });
  return { n, width, numbers, categories, codes };
}

/** The exact squared distance between row i of a and row j of b. */
export function exactSquaredDistance(a: ExactRows, i: number, b: ExactRows, j: number): number {
  let sum = 0;
  const w = a.width;
  for (let k = 0; k < w; k++) {
    const d = a.numbers[i * w + k] - b.numbers[j * w + k];
    sum += d * d;
  }
  const c = a.categories;
  for (let k = 0; k < c; k++) if (a.codes[i * c + k] !== b.codes[j * c + k]) sum += 1;
  return sum;
}

/** The rows of a followed by the rows of b. */
export function concatRows(a: ExactRows, b: ExactRows): ExactRows {
  const numbers = new Float64Array(a.numbers.length + b.numbers.length);
  numbers.set(a.numbers);
  numbers.set(b.numbers, a.numbers.length);
  const codes = new Int32Array(a.codes.length + b.codes.length);
  codes.set(a.codes);
  codes.set(b.codes, a.codes.length);
  return { n: a.n + b.n, width: a.width, numbers, categories: a.categories, codes };
}

/**
 * Points each row of `from` that equals a row of `to` at that row: float32 distances cannot
 * separate an exact duplicate from a row 1e-4 away, and a duplicate must come out at 0.
 */
export function preferExactMatches(from: ExactRows, to: ExactRows, nearest: Int32Array): void {
  const index = new Map<string, number>();
  const toKeys = rowKeys(to);
  for (let j = to.n - 1; j >= 0; j--) index.set(toKeys[j], j);
  const fromKeys = rowKeys(from);
  for (let i = 0; i < from.n; i++) {
    const j = index.get(fromKeys[i]);
    if (j !== undefined) nearest[i] = j;
  }
}

/** Keys by row set: each set is matched several times (synthetic against training and holdout rows, and back). */
const keysOf = new WeakMap<ExactRows, string[]>();

function rowKeys(rows: ExactRows): string[] {
  let keys = keysOf.get(rows);
  if (!keys) {
    keys = Array.from({ length: rows.n }, (_, i) => rowKey(rows, i));
    keysOf.set(rows, keys);
  }
  return keys;
}

function rowKey(rows: ExactRows, i: number): string {
  const numbers = rows.numbers.subarray(i * rows.width, (i + 1) * rows.width);
  const codes = rows.codes.subarray(i * rows.categories, (i + 1) * rows.categories);
  return `${numbers.join(',')}|${codes.join(',')}`;
}
