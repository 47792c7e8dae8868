/** Table <-> model arrays under a Layout: encode the training rows, decode sampled rows. */
import { standardNormal } from '../../core/stats/random.js';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../../core/table.js';
import { rngOfRow, type RowRngs } from '../row-rngs.js';
import type { Layout } from './layout.js';
import { NORMAL_LIMIT, fromNormal, toNormal } from './quantile-normal.js';

/** Row-major model arrays: numeric values on N(0, 1) and one class index per span. */
export interface EncodedRows {
  readonly rows: number;
  readonly numeric: Float32Array;
  readonly classes: Int32Array;
}

/** The draws encodeRows takes of one row at most: a normal (two uniforms) per numeric column. */
export const encodingDrawsPerRow = (layout: Layout): number => 2 * layout.numeric.length;

/**
 * Encodes rows; a missing numeric value is filled with noise (its indicator carries the gap).
 * `shared`: the arrays live in SharedArrayBuffers, so the training shards on worker threads all
 * read the one copy (a plain buffer is cloned into every worker).
 */
export function encodeRows(layout: Layout, table: Table, draws: RowRngs, shared = false): EncodedRows {
  const rng = rngOfRow(draws);
  const rows = table.rowCount;
  const dNum = layout.numeric.length;
  const nSpans = layout.spans.length;
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const numeric = new Float32Array(buffer(rows * dNum * Float32Array.BYTES_PER_ELEMENT));
  const classes = new Int32Array(buffer(rows * nSpans * Int32Array.BYTES_PER_ELEMENT));
  layout.numeric.forEach((part, j) => {
    const values = (table.columns[part.column] as NumericColumn).values;
    for (let i = 0; i < rows; i++) {
      const v = values[i];
      numeric[i * dNum + j] = Number.isNaN(v) ? standardNormal(rng(i)) : toNormal(part, v);
    }
  });
  layout.spans.forEach((span, s) => {
    const column = table.columns[span.column];
    if (span.role === 'missing-indicator') {
      const values = (column as NumericColumn).values;
      for (let i = 0; i < rows; i++) classes[i * nSpans + s] = Number.isNaN(values[i]) ? 1 : 0;
      return;
    }
    const index = new Map(span.codes.map((code, k) => [code, k]));
    const codes = (column as CategoricalColumn).codes;
    for (let i = 0; i < rows; i++) {
      const k = index.get(codes[i]);
      if (k === undefined)
        throw new Error(`column '${column.name}': level code ${codes[i]} was not in the training rows`);
      classes[i * nSpans + s] = k;
    }
  });
  return { rows, numeric, classes };
}

/** Decodes sampled arrays into a table shaped like `template` (names, kinds, level lists). */
export function decodeRows(layout: Layout, encoded: EncodedRows, template: Table): Table {
  const { rows, numeric, classes } = encoded;
  const dNum = layout.numeric.length;
  const nSpans = layout.spans.length;
  const columns: Column[] = template.columns.slice();
  layout.numeric.forEach((part, j) => {
    const source = template.columns[part.column] as NumericColumn;
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const missing = part.missingSpan >= 0 && classes[i * nSpans + part.missingSpan] === 1;
      values[i] =
        missing || Number.isNaN(part.min)
          ? NaN
          : roundInRange(fromNormal(part, clampNormal(numeric[i * dNum + j])), part.step, part.min, part.max);
    }
    columns[part.column] = { name: source.name, kind: source.kind, values };
  });
  layout.spans.forEach((span, s) => {
    if (span.role !== 'category') return;
    const source = template.columns[span.column] as CategoricalColumn;
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) codes[i] = span.codes[classes[i * nSpans + s]];
    columns[span.column] = { name: source.name, kind: 'categorical', codes, levels: source.levels };
  });
  return { rowCount: rows, columns };
}

const clampNormal = (z: number): number => Math.min(Math.max(z, -NORMAL_LIMIT), NORMAL_LIMIT);

/** Rounds to the column's step and clamps to its seen range (both decoders end here). */
export function roundInRange(value: number, step: number, min: number, max: number): number {
  const rounded = step > 0 ? Math.round(value / step) * step : value;
  // Dividing by the inverse keeps 0.1-style steps free of binary noise (0.30000000000000004).
  const clean = step > 0 && step < 1 ? Math.round(rounded * Math.round(1 / step)) / Math.round(1 / step) : rounded;
  return Math.min(Math.max(clean, min), max);
}
