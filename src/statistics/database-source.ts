/**
 * The statistics interface over the user's PostgreSQL, MySQL/MariaDB or SQLite, through
 * sample-db's connection code and its checks: the password never in the URL, SQLite's file
 * resolved and checked on open, the table and every column checked against the catalogue before a
 * query names them (and then quoted by knex), and each query run in a read-only transaction with
 * the statement timeout (sample-db's row stream). Only the aggregates of sql.ts are sent, so only
 * counts and bounds leave the database. `onQuery` sees each statistics query and its answer's
 * size, for the audit log.
 */
import knexFactory, { type Knex } from 'knex';
import { catalogueTable, pickColumns, type CatalogueColumn, type CatalogueTable } from '../sample-db/catalogue.js';
import { knexConfig, describeTarget, sqliteFile, type ConnectionSpec } from '../sample-db/connection.js';
import { databaseErrors } from '../sample-db/database-errors.js';
import { streamRows } from '../sample-db/row-stream.js';
import { checkOpenedFile, resolveSqliteFile, type SqliteFile } from '../sample-db/target-identity.js';
import { SqlStatistics, type Row, type SqlRunner } from './sql-source.js';
import type { SqlQuery } from './sql.js';
import type { SourceColumn, SourceKind } from './source.js';

export interface DatabaseStatisticsRequest {
  readonly connection: ConnectionSpec;
  readonly table: string;
  /** Columns to read (all when absent), each checked against the catalogue. */
  readonly columns?: readonly string[];
  readonly timeoutMs: number;
  readonly driverLog?: (message: string) => void;
  /** Called after each statistics query with what was sent and how many result rows (cells) came back. */
  readonly onQuery?: (query: SqlQuery, resultRows: number) => void | Promise<void>;
}

const DATE_TYPE = /date|time/i;

export function columnKind(column: CatalogueColumn): SourceKind {
  if (column.numeric) return 'numeric';
  return DATE_TYPE.test(column.type) ? 'datetime' : 'categorical';
}

export class DatabaseStatistics extends SqlStatistics {
  constructor(
    runner: SqlRunner,
    readonly knex: Knex,
    readonly catalogue: CatalogueTable,
    /** The SQLite file as resolved and opened (for the ledger's identity). */
    readonly sqlite: SqliteFile | undefined,
  ) {
    super(runner);
  }
}

export async function openDatabaseStatistics(request: DatabaseStatisticsRequest): Promise<DatabaseStatistics> {
  const client = request.connection.client;
  const sqlite = client === 'sqlite' ? await resolveSqliteFile(sqliteFile(request.connection)) : undefined;
  const spec = sqlite ? { ...request.connection, connection: sqlite.real, database: undefined } : request.connection;
  const knex = knexFactory(knexConfig(spec, request.driverLog, sqlite ? () => checkOpenedFile(sqlite) : undefined));
  try {
    const catalogue = await databaseErrors(() => catalogueTable(knex, client, request.table), request.connection);
    const picked = pickColumns(catalogue.columns, request.columns, request.table);
    const columns: SourceColumn[] = picked.map((c) => ({ name: c.name, kind: columnKind(c), integer: c.integer }));
    const runner: SqlRunner = {
      target: { dialect: client, from: { sql: '??', bindings: [catalogue.qualified] } },
      description: `${describeTarget(request.connection)} table ${catalogue.qualified}`,
      columns,
      run: async (query) => {
        const rows = await databaseErrors(async () => {
          const out: Row[] = [];
          const raw = knex.raw(query.sql, query.bindings);
          for await (const row of streamRows(knex, client, raw, { timeoutMs: request.timeoutMs })) out.push(row);
          return out;
        }, request.connection);
        await request.onQuery?.(query, rows.length);
        return rows;
      },
      close: () => knex.destroy(),
    };
    return new DatabaseStatistics(runner, knex, catalogue, sqlite);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}
