/** Table <-> model rows under a ModeLayout: encode the training rows, decode generated rows. */
import type { ColumnStatistics } from '../../core/column-statistics.js';
import type { Rng } from '../../core/rng.js';
import { standardNormal } from '../../core/stats/random.js';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../../core/table.js';
import { rngOfRow, type RowRngs } from '../row-rngs.js';
import { responsibilities } from './bayesian-mixture.js';
import { roundInRange } from './codec.js';
import { fitModeLayout, statisticsSource, type ModeLayout, type ModeNumeric } from './mode-layout.js';

/** The scalar spans |x - mu| / (4 sd) of a mode: four standard deviations reach the span's edge. */
const SD_SPAN = 4;
/** Encoded scalars stay inside the tanh's open range, as the reference clips them. */
const SCALAR_LIMIT = 0.99;

/**
 * Encodes rows as `rows x width` values. Each value's mode is drawn from its posterior
 * responsibilities (as the reference does, so that overlapping modes share the values between
 * them); a missing value is encoded as the mixture's mean and its indicator says missing. A
 * level the layout lacks (possible when the levels came from noisy statistics) encodes as all
 * zeros: no class to learn for that span.
 */
export function encodeModeRows(layout: ModeLayout, table: Table, draws: RowRngs): Float32Array {
  const rng = rngOfRow(draws);
  const rows = table.rowCount;
  const width = layout.width;
  const out = new Float32Array(rows * width);
  for (const part of layout.numeric) {
    if (part.modes.length === 0) continue;
    const values = (table.columns[part.column] as NumericColumn).values;
    const valueAt = layout.spans[part.valueSpan].start;
    const modeAt = layout.spans[part.modeSpan].start;
    const missingAt = part.missingSpan >= 0 ? layout.spans[part.missingSpan].start : -1;
    const fill = mixtureMean(part);
    const resp = new Float64Array(part.modes.length);
    for (let i = 0; i < rows; i++) {
      const missing = Number.isNaN(values[i]);
      const value = missing ? fill : values[i];
      responsibilities(part.modes, value, resp);
      const k = drawIndex(resp, rng(i));
      const { mean, sd } = part.modes[k];
      const scalar = (value - mean) / (SD_SPAN * sd);
      out[i * width + valueAt] = Math.min(Math.max(scalar, -SCALAR_LIMIT), SCALAR_LIMIT);
      out[i * width + modeAt + k] = 1;
      if (missingAt >= 0) out[i * width + missingAt + (missing ? 1 : 0)] = 1;
    }
  }
  for (const part of layout.categorical) {
    const codes = (table.columns[part.column] as CategoricalColumn).codes;
    const start = layout.spans[part.span].start;
    const index = new Map(part.codes.map((code, k) => [code, k]));
    for (let i = 0; i < rows; i++) {
      const k = index.get(codes[i]);
      if (k !== undefined) out[i * width + start + k] = 1;
    }
  }
  return out;
}

/**
 * Decoding as a draw from the decoder's likelihood (TVAE): each scalar gets Gaussian noise of its
 * learned sigma, and each softmax span holds logits that the category is drawn from.
 */
export interface DecodeNoise {
  /** Standard deviation per output column (TVAE's learned sigmas); only the value spans' entries are used. */
  readonly sigmas: ArrayLike<number>;
  readonly rng: Rng;
}

/**
 * Decodes `rows x width` model output into a table shaped like `template` (names, kinds, levels):
 * the argmax of each softmax span (with `noise`, a draw from the softmax of its logits), the
 * scalar clipped to [-1, 1] (after the optional noise, as the reference's inverse transform),
 * then rounded to the column's step inside its seen range.
 */
export function decodeModeRows(layout: ModeLayout, data: Float32Array, template: Table, noise?: DecodeNoise): Table {
  const width = layout.width;
  const rows = data.length / width;
  if (!Number.isInteger(rows)) throw new Error(`decode: ${data.length} values are not rows of ${width}`);
  const columns: Column[] = template.columns.slice();
  for (const part of layout.numeric) {
    const source = template.columns[part.column] as NumericColumn;
    const values = new Float64Array(rows).fill(NaN);
    if (part.modes.length > 0) {
      const valueAt = layout.spans[part.valueSpan].start;
      const modes = layout.spans[part.modeSpan];
      const missingAt = part.missingSpan >= 0 ? layout.spans[part.missingSpan].start : -1;
      const sigma = noise ? noise.sigmas[valueAt] : 0;
      for (let i = 0; i < rows; i++) {
        const row = i * width;
        if (missingAt >= 0 && pickClass(data, row + missingAt, 2, noise) === 1) continue;
        const scalar = data[row + valueAt] + (noise ? sigma * standardNormal(noise.rng) : 0);
        const { mean, sd } = part.modes[pickClass(data, row + modes.start, modes.size, noise)];
        const value = Math.min(Math.max(scalar, -1), 1) * SD_SPAN * sd + mean;
        values[i] = roundInRange(value, part.step, part.min, part.max);
      }
    }
    columns[part.column] = { name: source.name, kind: source.kind, values };
  }
  for (const part of layout.categorical) {
    const source = template.columns[part.column] as CategoricalColumn;
    const { start, size } = layout.spans[part.span];
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) codes[i] = part.codes[pickClass(data, i * width + start, size, noise)];
    columns[part.column] = { name: source.name, kind: 'categorical', codes, levels: source.levels };
  }
  return { rowCount: rows, columns };
}

/** The weight-averaged mean of the modes: what a missing value is encoded as. */
function mixtureMean(part: ModeNumeric): number {
  const total = part.modes.reduce((s, m) => s + m.weight, 0);
  return part.modes.reduce((s, m) => s + m.weight * m.mean, 0) / total;
}

/** An index drawn with probability `weights[k]` (they sum to 1); never one of weight 0. */
function drawIndex(weights: Float64Array, rng: Rng): number {
  let u = rng.next();
  let last = 0;
  for (let k = 0; k < weights.length; k++) {
    if (weights[k] <= 0) continue;
    last = k;
    u -= weights[k];
    if (u < 0) return k;
  }
  return last;
}

/** A softmax span's class: its argmax, or with `noise` a draw from the softmax of its logits. */
function pickClass(data: Float32Array, start: number, size: number, noise: DecodeNoise | undefined): number {
  if (!noise) return argmax(data, start, size);
  const top = data[start + argmax(data, start, size)];
  let total = 0;
  for (let k = 0; k < size; k++) total += Math.exp(data[start + k] - top);
  let u = noise.rng.next() * total;
  for (let k = 0; k < size; k++) {
    u -= Math.exp(data[start + k] - top);
    if (u < 0) return k;
  }
  return size - 1;
}

/** The first index of the largest of `size` values from `start`. */
function argmax(data: Float32Array, start: number, size: number): number {
  let best = 0;
  for (let k = 1; k < size; k++) if (data[start + k] > data[start + best]) best = k;
  return best;
}

/** The draws encodeModeRows takes of one row at most: a mode per numeric column. */
export const modeEncodingDrawsPerRow = (layout: ModeLayout): number => layout.numeric.length;

/**
 * What CTGAN and TVAE train on: the layout fitted on `rows` (already recoded onto the statistics'
 * levels when given; from the statistics alone then) and the encoded rows. The layout draws from
 * `rng`; the encoding too, unless `rowDraws` gives each row its own (DP-SGD) for so many draws a row.
 */
export function fitModeData(
  rows: Table,
  rng: Rng,
  statistics: readonly ColumnStatistics[] | undefined,
  rowDraws?: (perRow: number) => RowRngs,
  fitted?: ModeLayout,
): { layout: ModeLayout; data: Float32Array } {
  // A fitted layout (fine-tuning's saved transform) is reused: nothing is refitted from the rows.
  const layout = fitted ?? fitModeLayout(rows, rng, statistics ? statisticsSource(statistics, rng) : undefined);
  const draws = rowDraws ? rowDraws(modeEncodingDrawsPerRow(layout)) : rng;
  return { layout, data: encodeModeRows(layout, rows, draws) };
}
