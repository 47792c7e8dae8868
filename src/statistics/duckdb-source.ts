/**
 * The statistics interface over a CSV or Parquet file, answered by DuckDB (@duckdb/node-api, an
 * in-process engine whose binary ships as an npm package): it scans the file for each query in
 * a streaming, out-of-core plan, so a file larger than memory is fine and only the aggregates
 * come into JavaScript. The file's columns and their types are DuckDB's reading of it; missing
 * markers are those gesalp's own reader knows.
 */
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
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
}

/** The markers gesalp's CSV reader takes for a missing value (src/core/schema/values.ts), in the cases files use. */
const NULL_MARKERS = ['', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', 'None', 'none', 'N/A', 'n/a', '#N/A', '?'];

/** The types DuckDB may read a CSV column as. */
const TYPE_CANDIDATES = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR'];

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

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

function reader(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return `read_parquet(${quoteText(path)})`;
  // No BOOLEAN: 'yes'/'no' and 'true'/'false' stay the levels they are written as.
  const types = TYPE_CANDIDATES.map(quoteText).join(', ');
  return `read_csv(${quoteText(path)}, header = true, nullstr = [${NULL_MARKERS.map(quoteText).join(', ')}], auto_type_candidates = [${types}])`;
}

export async function openFileStatistics(path: string, options: FileStatisticsOptions = {}): Promise<SqlStatistics> {
  const instance = await DuckDBInstance.create(':memory:', {
    // Past the memory limit, DuckDB spills (its sorts, joins and the kept bins' table) here.
    temp_directory: options.tempDirectory ?? join(tmpdir(), 'gesalp-duckdb'),
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    // A view, not a table: each query scans the file again, nothing of it is held.
    await connection.run(`create view gesalp_source as select * from ${reader(path)}`);
    const described = (await connection.runAndReadAll('describe gesalp_source')).getRowObjectsJS();
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
    return new SqlStatistics(runner);
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    throw error;
  }
}
