/**
 * AIM's bins as statistics-query binnings, so that a database or DuckDB counts exactly the cells
 * the in-memory encoder (discretise/encode.ts) would: a numeric coder becomes pieces cut at every
 * value where its bin can change (cuts, point bins' rounding edges, bounds), each piece's bin
 * computed by numericBin itself; a categorical coder becomes its level list, with values outside
 * it and missing values sent where recodeToStatistics and encodeTable send them.
 */
import type { CategoricalStatistics } from '../../core/column-statistics.js';
import { piecesOf, type Binning, type PiecesBinning } from '../../statistics/binning.js';
import { binCount, canonical, type CategoricalCoder, type NumericCoder } from './discretise/coder.js';
import { numericBin } from './discretise/encode.js';

/** Values where canonical(v) can change bin: bounds, and each point's rounding interval edges (or the point itself). */
function breakpoints(coder: NumericCoder, values: readonly number[]): number[] {
  const out = [coder.min, coder.max];
  for (const v of values) {
    if (coder.step > 0) out.push(v - coder.step / 2, v + coder.step / 2);
    else out.push(v);
  }
  return out;
}

export function numericBinning(coder: NumericCoder): PiecesBinning {
  const size = binCount(coder);
  const ranges = coder.cuts ? coder.cuts.length + 1 : 0;
  const missing = coder.missing ? coder.points.length + ranges : 0;
  const pieces = piecesOf([...breakpoints(coder, coder.points), ...(coder.cuts ?? [])], (v) => numericBin(coder, v));
  return { kind: 'pieces', column: coder.name, pieces, missing, size };
}

export function categoricalBinning(coder: CategoricalCoder, statistics?: CategoricalStatistics): Binning {
  const size = binCount(coder);
  const missingBin = coder.missing ? coder.levels.length : 0;
  const placeholder = statistics?.placeholder != null ? coder.levels.indexOf(statistics.placeholder) : -1;
  return {
    kind: 'levels',
    column: coder.name,
    levels: coder.levels,
    // recodeToStatistics: a level not in the list becomes the placeholder, else missing; encodeTable: missing to its bin or 0.
    other: placeholder >= 0 ? placeholder : missingBin,
    missing: coder.missing || placeholder < 0 ? missingBin : placeholder,
    size,
  };
}

/**
 * Public candidates for a column's heavy values when its rows are not in memory (a query may not
 * group by the raw column): the bounds, and zero when inside them, each as the coder canonicalises
 * it. Returns the candidates and a binning that counts the rows canonicalising to each (then one
 * bin for the rest and one for missing values).
 */
export function heavyCandidates(spec: { name: string; min: number; max: number; step: number }): {
  values: number[];
  binning: PiecesBinning;
} {
  const { name, min, max, step } = spec;
  const raw = [min, max, ...(min < 0 && max > 0 ? [0] : [])];
  const values = [...new Set(raw.map((v) => canonical(v, step, min, max)))].sort((a, b) => a - b);
  const other = values.length;
  const binOf = (v: number) => {
    const k = values.indexOf(canonical(v, step, min, max));
    return k >= 0 ? k : other;
  };
  const coder = { min, max, step } as NumericCoder;
  const pieces = piecesOf(breakpoints(coder, values), binOf);
  return { values, binning: { kind: 'pieces', column: name, pieces, missing: other + 1, size: other + 2 } };
}
