/**
 * One side of the run's split of a file, as DuckDB views (SPEC section 8): `gesalp_rows` holds each
 * row's cells as text and its split hash (row-hash-function.ts, the in-memory split's own hash);
 * `gesalp_source`, what the statistics read, the typed cells of the rows on the side asked for.
 * Also what the evaluation reads: the side counts, and a seeded sample of a side's rows written
 * as CSV (the rows with the smallest hash under a second key: a top-N DuckDB keeps in a heap of N
 * rows, so the sample takes memory in N, not in the file, and does not depend on the file's order
 * or DuckDB's threads).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { splitKey } from '../core/split.js';
import { isParquet, quoteIdentifier, quoteText, reader, type CsvDialect } from './duckdb-reader.js';
import { HASH_RANGE, ROW_HASH_FUNCTION } from './row-hash-function.js';

export type SplitSide = 'train' | 'holdout';

export interface FileSplit {
  /** The split's key (the run's --seed) and the holdout's share, as core/split.ts takes them. */
  readonly seed: number;
  readonly fraction: number;
  /** The side the statistics read. */
  readonly side: SplitSide;
}

interface TypedColumn {
  readonly name: string;
  /** DuckDB's type of the column in the typed reading of the file. */
  readonly type: string;
}

/** The condition that keeps a side's rows (or every row), on gesalp_rows. */
const sideCondition = (split: Pick<FileSplit, 'fraction'>, side: SplitSide | 'all'): string =>
  side === 'all' ? 'true' : `gesalp_hash ${side === 'holdout' ? '<' : '>='} ${split.fraction * HASH_RANGE}`;

const hashOf = (key: number, columns: readonly TypedColumn[]): string =>
  `${ROW_HASH_FUNCTION}(${key}, ${columns.map((c) => quoteIdentifier(c.name)).join(', ')})`;

/** The statements that create gesalp_rows and gesalp_source over `columns` (the split's content, in its order). */
export function splitViews(
  path: string,
  columns: readonly TypedColumn[],
  split: FileSplit,
  dialect?: CsvDialect,
): string[] {
  // A Parquet cell as text is its value cast to VARCHAR (numbers and dates canonicalise the same).
  const text = columns
    .map(
      (c) =>
        `${isParquet(path) ? `cast(${quoteIdentifier(c.name)} as varchar)` : quoteIdentifier(c.name)} as ${quoteIdentifier(c.name)}`,
    )
    .join(', ');
  const typed = columns
    .map((c) => `try_cast(${quoteIdentifier(c.name)} as ${c.type}) as ${quoteIdentifier(c.name)}`)
    .join(', ');
  const key = splitKey(split);
  return [
    `create view gesalp_rows as select *, ${hashOf(key, columns)} as gesalp_hash from (select ${text} from ${reader(path, true, dialect)})`,
    `create view gesalp_source as select ${typed} from gesalp_rows where ${sideCondition(split, split.side)}`,
  ];
}

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

/** Salt of the sample's key, apart from the split's. */
const SAMPLE_SALT = 0x5a4d504c;

/**
 * Writes at most `rows` rows of a side (or of the whole file), as their text, to a CSV file at
 * `out`, chosen by a keyed hash of their content under `seed`; returns how many it wrote.
 */
export async function writeSideSample(
  connection: DuckDBConnection,
  columns: readonly string[],
  split: FileSplit,
  side: SplitSide | 'all',
  sample: { readonly rows: number; readonly seed: number },
  out: string,
): Promise<number> {
  const names = columns.map((name) => ({ name, type: 'VARCHAR' }));
  const key = (sample.seed ^ SAMPLE_SALT) >>> 0;
  const list = columns.map(quoteIdentifier).join(', ');
  const [row] = (
    await connection.runAndReadAll(
      `copy (select ${list} from gesalp_rows where ${sideCondition(split, side)} order by ${hashOf(key, names)} limit ${Math.floor(sample.rows)}) to ${quoteText(out)} (format csv, header true)`,
    )
  ).getRowsJS();
  return Number(row?.[0] ?? 0);
}
