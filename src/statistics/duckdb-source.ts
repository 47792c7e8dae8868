/**
 * The statistics interface over a CSV or Parquet file, answered by DuckDB (@duckdb/node-api, an
 * in-process engine whose binary ships as an npm package): it scans the file for each query in
 * a streaming, out-of-core plan (or, with a split, reads the temporary table one scan filled:
 * file-split.ts), so a file larger than memory is fine and only the aggregates come into JavaScript. The file's columns and their types are DuckDB's reading of it; missing
 * markers are those gesalp's own reader knows.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { isParquet, quoteIdentifier, reader } from './duckdb-reader.js';
import type { Dialect, DialectRequest } from '../core/io/dialect.js';
import { checkInputFile } from '../core/io/read-table.js';
import { sniffFileDialect } from './file-dialect.js';
import { splitViews, typedCells, type FileSplit } from './file-split.js';
import { registerRowHash } from './row-hash-function.js';
import { SqlStatistics, type Row, type SqlRunner } from './sql-source.js';
import type { SqlQuery } from './sql.js';
import type { SourceColumn, SourceKind } from './source.js';

export interface FileStatisticsOptions {
  /** DuckDB's memory limit (e.g. '512MB'); past it, DuckDB spills to its temporary directory. */
  readonly memoryLimit?: string;
  readonly threads?: number;
  /** Where DuckDB spills past the memory limit (default: a gesalp-duckdb folder in the OS temporary folder). */
  readonly tempDirectory?: string;
  /** Columns to read (all when absent). */
  readonly columns?: readonly string[];
  /**
   * Read one side of the run's split only (file-split.ts): each row's side is the keyed hash of its
   * content over `columns` (the in-memory split's), computed by DuckDB as it scans.
   */
  readonly split?: FileSplit;
  /** The CSV dialect asked for (--delimiter, --quote, ...); the rest is sniffed as gesalp's reader sniffs it. */
  readonly dialect?: DialectRequest;
  /** Under DP: the dialect from the header alone (SPEC section 8). */
  readonly headerOnly?: boolean;
}

/** knex-style placeholders to DuckDB's: `??` becomes the quoted identifier, `?` stays with its value. */
export function duckdbSql(query: SqlQuery): { sql: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  let next = 0;
  const sql = query.sql.replace(/\?\?|\?/g, (placeholder) => {
    const binding = query.bindings[next++];
    if (placeholder === '??') return quoteIdentifier(String(binding));
    values.push(binding);
    return '?';
  });
  return { sql, values };
}

function kindOf(type: string): { kind: SourceKind; integer: boolean } {
  if (/INT/i.test(type)) return { kind: 'numeric', integer: true };
  if (/DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(type)) return { kind: 'numeric', integer: false };
  if (/DATE|TIME/i.test(type)) return { kind: 'datetime', integer: false };
  return { kind: 'categorical', integer: false };
}

/** The statistics of a file, and the connection that answers them (file-split.ts reads samples through it). */
export class FileStatistics extends SqlStatistics {
  constructor(
    runner: SqlRunner,
    readonly connection: DuckDBConnection,
    /** How a CSV file was read (undefined for Parquet). */
    readonly dialect: Dialect | undefined,
  ) {
    super(runner);
  }
}

export async function openFileStatistics(path: string, options: FileStatisticsOptions = {}): Promise<FileStatistics> {
  // A missing file, a folder or an unreadable file is the input error the in-memory reader gives (exit 3).
  await checkInputFile(path);
  const dialect = isParquet(path) ? undefined : await sniffFileDialect(path, options.dialect, options.headerOnly);
  const instance = await DuckDBInstance.create(':memory:', {
    // Past the memory limit, DuckDB spills (its sorts, joins and the kept bins' table) here.
    temp_directory: options.tempDirectory ?? join(tmpdir(), 'gesalp-duckdb'),
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    registerRowHash(connection);
    // A view, not a table: each query scans the file again, nothing of it is held.
    await connection.run(`create view gesalp_file as select * from ${reader(path, false, dialect)}`);
    // The cells as the text written: what the split hashes and the samples hold.
    await connection.run(`create view gesalp_text as select * from ${reader(path, true, dialect)}`);
    const described = (await connection.runAndReadAll('describe gesalp_file')).getRowObjectsJS();
    let columns: SourceColumn[] = described.map((row) => ({
      name: String(row.column_name),
      ...kindOf(String(row.column_type)),
    }));
    if (options.columns) {
      const wanted = options.columns;
      const missing = wanted.filter((name) => !columns.some((c) => c.name === name));
      if (missing.length) throw new Error(`${path} has no column ${missing.map((m) => `'${m}'`).join(', ')}`);
      columns = wanted.map((name) => columns.find((c) => c.name === name)!);
    }
    const types = new Map(described.map((row) => [String(row.column_name), String(row.column_type)]));
    const typed = columns.map((c) => ({ name: c.name, type: types.get(c.name)! }));
    for (const sql of options.split
      ? splitViews(path, typed, options.split)
      : [`create view gesalp_source as select ${typedCells(typed)} from gesalp_text`])
      await connection.run(sql);
    const open = connection;
    const runner: SqlRunner = {
      target: { dialect: 'duckdb', from: { sql: 'gesalp_source', bindings: [] } },
      description: path,
      columns,
      run: async (query) => {
        const { sql, values } = duckdbSql(query);
        return (await open.runAndReadAll(sql, values)).getRowObjectsJS() as Row[];
      },
      keep: async (query) => {
        const { sql, values } = duckdbSql(query);
        await open.run(`create or replace temp table gesalp_kept as ${sql}`, values);
        return 'gesalp_kept';
      },
      close: async () => {
        open.closeSync();
        instance.closeSync();
      },
    };
    return new FileStatistics(runner, open, dialect);
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    throw error;
  }
}
