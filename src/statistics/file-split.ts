/**
 * One side of the run's split of a file (SPEC section 8): `gesalp_rows` holds each row's cells as
 * text and its split hash (row-hash-function.ts, the in-memory split's own hash), in a temporary
 * table filled by one scan: the hash runs in JavaScript, a row at a time, so it runs once per row
 * and not once per query (on adult repeated 30 times, 976,830 rows, a view that hashed on every
 * query took 427 s; DuckDB spills the table past its memory limit). `gesalp_source`, what the
 * statistics read, is the typed cells of the side asked for. Also what the evaluation reads: the
 * side counts, and a seeded sample of a side's rows written as CSV.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { splitKey } from '../core/split.js';
import { isParquet, quoteIdentifier, quoteText } from './duckdb-reader.js';
import { HASH_RANGE, ROW_HASH_FUNCTION } from './row-hash-function.js';

export type SplitSide = 'train' | 'holdout';

export interface FileSplit {
  /** The split's key (the run's --seed) and the holdout's share, as core/split.ts takes them. */
  readonly seed: number;
  readonly fraction: number;
  /** The side the statistics read. */
  readonly side: SplitSide;
}

export interface TypedColumn {
  readonly name: string;
  /** DuckDB's type of the column in the typed reading of the file. */
  readonly type: string;
}

/** The condition that keeps a side's rows, on gesalp_rows. */
const sideCondition = (split: Pick<FileSplit, 'fraction'>, side: SplitSide): string =>
  `gesalp_hash ${side === 'holdout' ? '<' : '>='} ${split.fraction * HASH_RANGE}`;

const hashOf = (key: number, columns: readonly TypedColumn[]): string =>
  `${ROW_HASH_FUNCTION}(${key}, ${columns.map((c) => quoteIdentifier(c.name)).join(', ')})`;

/** The statements that create gesalp_rows and gesalp_source over `columns` (the split's content, in its order), from the gesalp_text view. */
export function splitViews(path: string, columns: readonly TypedColumn[], split: FileSplit): string[] {
  // A Parquet cell as text is its value cast to VARCHAR (numbers and dates canonicalise the same).
  const text = columns
    .map(
      (c) =>
        `${isParquet(path) ? `cast(${quoteIdentifier(c.name)} as varchar)` : quoteIdentifier(c.name)} as ${quoteIdentifier(c.name)}`,
    )
    .join(', ');
  const key = splitKey(split);
  return [
    `create temp table gesalp_rows as select *, ${hashOf(key, columns)} as gesalp_hash from (select ${text} from gesalp_text)`,
    `create view gesalp_source as select ${typedCells(columns)} from gesalp_rows where ${sideCondition(split, split.side)}`,
  ];
}

/**
 * The cells as the statistics read them: each column's text cast to the type DuckDB read it as (a
 * missing marker, or any text that is not of the type, is missing; a text column keeps its text).
 */
export const typedCells = (columns: readonly TypedColumn[]): string =>
  columns.map((c) => `try_cast(${quoteIdentifier(c.name)} as ${c.type}) as ${quoteIdentifier(c.name)}`).join(', ');

export interface SideCounts {
  readonly rows: number;
  readonly train: number;
  readonly holdout: number;
}

/** Exact rows on each side (one scan): the split record's counts outside DP. */
export async function sideCounts(connection: DuckDBConnection, split: FileSplit): Promise<SideCounts> {
  const [row] = (
    await connection.runAndReadAll(
      `select count(*) as n, count(*) filter (where ${sideCondition(split, 'holdout')}) as h from gesalp_rows`,
    )
  ).getRowObjectsJS();
  const rows = Number(row.n);
  const holdout = Number(row.h);
  return { rows, train: rows - holdout, holdout };
}

/**
 * Writes at most `rows` rows of a side, as their text, to a CSV file at `out`: a reservoir sample
 * under `seed` (repeatable: DuckDB runs on one thread here). Not the smallest hashes: copies of a
 * row share their hash, so a sample by hash takes every copy or none, and a table of repeated rows
 * was judged on a few hundred distinct rows (detection_auc 0.95 on adult repeated 30 times, where
 * the in-memory run, which samples row positions, gave 0.56). Returns how many it wrote.
 */
export async function writeSideSample(
  connection: DuckDBConnection,
  columns: readonly string[],
  split: FileSplit,
  side: SplitSide,
  sample: { readonly rows: number; readonly seed: number },
  out: string,
): Promise<number> {
  const list = columns.map(quoteIdentifier).join(', ');
  const rows = `select ${list} from gesalp_rows where ${sideCondition(split, side)}`;
  const drawn = `select * from (${rows}) using sample reservoir(${Math.floor(sample.rows)} rows) repeatable (${sample.seed >>> 0})`;
  const [row] = (
    await connection.runAndReadAll(`copy (${drawn}) to ${quoteText(out)} (format csv, header true)`)
  ).getRowsJS();
  return Number(row?.[0] ?? 0);
}

/**
 * Writes the file's first `rows` rows, as their text, to a CSV file at `out` (what identifier
 * detection reads: a key counts up in file order); returns how many it wrote.
 */
export async function writeHeadSample(connection: DuckDBConnection, rows: number, out: string): Promise<number> {
  const [row] = (
    await connection.runAndReadAll(
      `copy (select * from gesalp_text limit ${Math.floor(rows)}) to ${quoteText(out)} (format csv, header true)`,
    )
  ).getRowsJS();
  return Number(row?.[0] ?? 0);
}
