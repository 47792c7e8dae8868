/**
 * One query interface for the statistics gesalp reads from a table: the row count, a column's
 * bounds, rounding step and quantiles, histograms over given edges, counts of given levels, and
 * k-way marginal counts over binned or levelled columns. Backends: DuckDB over CSV and Parquet
 * files (out of core), the user's PostgreSQL, MySQL/MariaDB or SQLite through sample-db's
 * connection and checks, and rows already in memory. Every answer is an exact aggregate: whoever
 * releases it under DP adds the noise, and under DP the bins must be public or DP-released.
 */
import type { Binning } from './binning.js';

export type SourceKind = 'numeric' | 'datetime' | 'categorical';

export interface SourceColumn {
  readonly name: string;
  /** As stored: numbers, dates or times, or anything else (read as text). */
  readonly kind: SourceKind;
  /** Stored as whole numbers (an integer type). */
  readonly integer: boolean;
}

export interface ColumnBounds {
  /** NaN when no row has a value. */
  readonly min: number;
  readonly max: number;
  readonly rows: number;
  /** Rows with a value. */
  readonly present: number;
}

export interface LevelCounts {
  /** Per level given, its rows. */
  readonly counts: number[];
  /** Rows with a value not in the list. */
  readonly other: number;
  readonly missing: number;
}

export interface StatisticsSource {
  /** What is read, for messages (never a password). */
  readonly description: string;
  readonly columns: readonly SourceColumn[];
  count(): Promise<number>;
  /** Exact smallest and largest value: a release of two rows' values, so only without DP. */
  bounds(column: string): Promise<ColumnBounds>;
  /** The coarsest of `candidates` every value is a multiple of, or 0 (exact: only without DP). */
  step(column: string, candidates: readonly number[]): Promise<number>;
  /** Values at the probabilities, to (max - min) / 2^20 (exact statistics: only without DP). */
  quantiles(column: string, probabilities: readonly number[]): Promise<number[]>;
  /** Rows in each bucket [edges[b], edges[b + 1]); values outside and missing ones are not counted. */
  histogram(column: string, edges: readonly number[]): Promise<number[]>;
  levelCounts(column: string, levels: readonly string[]): Promise<LevelCounts>;
  /** Rows per cell over the binnings, row-major (the last binning varies fastest). */
  marginal(binnings: readonly Binning[]): Promise<Float64Array>;
  /**
   * Optional (an engine that may hold a table of its own: DuckDB): computes every row's cell under
   * these binnings in one scan and keeps them (small integers, spilled to disk past the memory
   * limit), so that the marginals over them that follow read that instead of the source. Never the
   * user's database, which is read in read-only transactions.
   */
  keepBins?(binnings: readonly Binning[]): Promise<void>;
  close(): Promise<void>;
}

/** The column named, or an error naming the columns there are. */
export function sourceColumn(source: { readonly columns: readonly SourceColumn[] }, name: string): SourceColumn {
  const column = source.columns.find((c) => c.name === name);
  if (!column)
    throw new Error(`no column '${name}' in the source (columns: ${source.columns.map((c) => c.name).join(', ')})`);
  return column;
}

/** Cells of the marginal over the binnings. */
export const cellsOf = (binnings: readonly Binning[]): number => binnings.reduce((n, b) => n * b.size, 1);
