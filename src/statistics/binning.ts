/**
 * How a column's values map to cells in the statistics queries: public or DP-released bins only.
 * A numeric or date column is cut into pieces at declared or released edges (each piece's upper
 * edge exclusive or inclusive, so a single value can be a bin of its own); a categorical column is
 * matched against a released or declared level list. Missing values, and levels not in the list,
 * go to bins named here. Nothing about the binning is read from the rows.
 */

/** Values up to `upper` (exclusive, or inclusive) not taken by an earlier piece go to `bin`; the last piece's upper is Infinity. */
export interface Piece {
  readonly upper: number;
  readonly inclusive: boolean;
  readonly bin: number;
}

export interface PiecesBinning {
  readonly kind: 'pieces';
  readonly column: string;
  readonly pieces: readonly Piece[];
  /** The bin of a missing value. */
  readonly missing: number;
  /** Cells of the column: every bin is in [0, size). */
  readonly size: number;
}

export interface LevelsBinning {
  readonly kind: 'levels';
  readonly column: string;
  /** Level i (compared as text) is bin i. */
  readonly levels: readonly string[];
  /** The bin of a value not in the list. */
  readonly other: number;
  readonly missing: number;
  readonly size: number;
}

/**
 * Equal-width cells [start + k width, start + (k + 1) width), k < count, computed as
 * floor((value - start) / width) inside a CASE: one subtraction and division per row where pieces
 * would need log2(count) comparisons (and a long statement to plan). Values below and above the
 * grid, and missing ones, go to the bins named (which may be the first and last cells: clamping).
 */
export interface GridBinning {
  readonly kind: 'grid';
  readonly column: string;
  readonly start: number;
  readonly width: number;
  readonly count: number;
  readonly below: number;
  readonly above: number;
  readonly missing: number;
  readonly size: number;
}

export type Binning = PiecesBinning | LevelsBinning | GridBinning;

/** The cell of `value` under a grid binning (a cell index off by one at an edge, from rounding, is clamped). */
export function gridBin(binning: GridBinning, value: number): number {
  if (Number.isNaN(value)) return binning.missing;
  if (value < binning.start) return binning.below;
  if (value >= binning.start + binning.count * binning.width) return binning.above;
  return Math.min(binning.count - 1, Math.max(0, Math.floor((value - binning.start) / binning.width)));
}

/**
 * Buckets [edges[b], edges[b + 1]) as bins 0 .. edges.length - 2; values outside them and
 * missing values go to one more bin (edges.length - 1), which a histogram drops.
 */
export function bucketBinning(column: string, edges: readonly number[]): PiecesBinning {
  if (edges.length < 2) throw new Error('a histogram needs at least two edges');
  const outside = edges.length - 1;
  const pieces: Piece[] = [{ upper: edges[0], inclusive: false, bin: outside }];
  for (let b = 0; b + 1 < edges.length; b++) pieces.push({ upper: edges[b + 1], inclusive: false, bin: b });
  pieces.push({ upper: Infinity, inclusive: false, bin: outside });
  return { kind: 'pieces', column, pieces, missing: outside, size: edges.length };
}

/** Level bins 0 .. levels.length - 1, then one bin for anything else and one for missing values. */
export function levelBinning(column: string, levels: readonly string[]): LevelsBinning {
  return { kind: 'levels', column, levels, other: levels.length, missing: levels.length + 1, size: levels.length + 2 };
}

/** The bin of `value` (NaN: missing) under a pieces binning: what the SQL CASE expression computes. */
export function pieceBin(binning: PiecesBinning, value: number): number {
  if (Number.isNaN(value)) return binning.missing;
  for (const piece of binning.pieces)
    if (piece.inclusive ? value <= piece.upper : value < piece.upper) return piece.bin;
  return binning.pieces[binning.pieces.length - 1].bin;
}

/**
 * The pieces of a piecewise-constant function `binOf` whose value can change only at `breakpoints`:
 * each breakpoint is tested on its own and each open interval between them at its middle, and
 * neighbours with the same bin merge. Exact (no bin decided by a rounding in SQL) wherever
 * `binOf` is truly constant between the breakpoints given.
 */
export function piecesOf(breakpoints: readonly number[], binOf: (value: number) => number): Piece[] {
  const points = [...new Set(breakpoints.filter((x) => Number.isFinite(x)))].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  const push = (upper: number, inclusive: boolean, bin: number) => {
    const last = pieces[pieces.length - 1];
    if (last && last.bin === bin) pieces[pieces.length - 1] = { upper, inclusive, bin };
    else pieces.push({ upper, inclusive, bin });
  };
  if (points.length === 0) return [{ upper: Infinity, inclusive: false, bin: binOf(0) }];
  const below = (x: number) => x - Math.max(1, Math.abs(x));
  push(points[0], false, binOf(below(points[0])));
  points.forEach((x, i) => {
    push(x, true, binOf(x));
    const next = points[i + 1];
    const inside = next === undefined ? x + Math.max(1, Math.abs(x)) : x + (next - x) / 2;
    push(next ?? Infinity, false, binOf(inside));
  });
  return pieces;
}
