/**
 * Table and column names checked against the database's own catalogue before any query uses
 * them (and then quoted as identifiers by knex): a name that is not in the catalogue, however
 * it is spelled, never reaches SQL text.
 */
import type { Knex } from 'knex';
import { GesalpError, inputError, unknownNameHint } from '../core/errors.js';
import type { Client } from './connection.js';
import { rawRows } from './raw-rows.js';

export interface CatalogueColumn {
  readonly name: string;
  readonly type: string;
  readonly numeric: boolean;
  readonly integer: boolean;
}

const NUMERIC_TYPE = /int|numeric|decimal|real|double|float|serial|number|money/i;
const INTEGER_TYPE = /int|serial/i;

async function listTables(knex: Knex, client: Client): Promise<string[]> {
  const sql =
    client === 'sqlite'
      ? "select name from sqlite_master where type in ('table', 'view') order by name"
      : `select table_name as name from information_schema.tables where table_schema = ${client === 'pg' ? 'current_schema()' : 'database()'} order by 1`;
  return rawRows<{ name: string }>(await knex.raw(sql)).map((r) => String(r.name));
}

/** A table as the catalogue names it. */
export interface CatalogueTable {
  readonly schema: string;
  readonly name: string;
  /** schema.name: how queries name it, and (with the database's identity) how the ledger keys it. */
  readonly qualified: string;
  readonly columns: CatalogueColumn[];
}

async function sqliteTable(knex: Knex, table: string): Promise<{ schema: string; name: string } | undefined> {
  // SQLite matches table names without regard to case, so the catalogue's spelling is the name.
  const rows = rawRows<{ name: string }>(
    await knex.raw("select name from sqlite_master where type in ('table', 'view') and name = ? collate nocase", [
      table,
    ]),
  );
  return rows.length ? { schema: 'main', name: String(rows[0].name) } : undefined;
}

export async function catalogueTable(knex: Knex, client: Client, table: string): Promise<CatalogueTable> {
  let found: { schema: string; name: string } | undefined;
  let result: unknown = [];
  if (client === 'sqlite') {
    found = await sqliteTable(knex, table);
    if (found) result = await knex.raw('select name, type from pragma_table_info(?)', [found.name]);
  } else {
    const dot = table.indexOf('.');
    const [schema, name] = dot > 0 ? [table.slice(0, dot), table.slice(dot + 1)] : [null, table];
    const current = client === 'pg' ? 'current_schema()' : 'database()';
    result = await knex.raw(
      `select table_schema as schema_of_table, table_name as name_of_table, column_name as name, data_type as type from information_schema.columns where table_schema = coalesce(?, ${current}) and table_name = ? order by ordinal_position`,
      [schema, name],
    );
    const first = rawRows<{ schema_of_table: string; name_of_table: string }>(result)[0];
    if (first) found = { schema: String(first.schema_of_table), name: String(first.name_of_table) };
  }
  const rows = rawRows<{ name: string; type: string }>(result);
  if (!found || rows.length === 0) {
    const tables = await listTables(knex, client);
    throw new GesalpError(
      'database',
      `table '${table}' not found (or not readable)`,
      tables.length ? unknownNameHint(table, tables) : 'The database has no tables this user can read.',
    );
  }
  const columns = rows.map((r) => {
    const type = String(r.type ?? '');
    return { name: String(r.name), type, numeric: NUMERIC_TYPE.test(type), integer: INTEGER_TYPE.test(type) };
  });
  return { ...found, qualified: `${found.schema}.${found.name}`, columns };
}

/** The requested columns (all when none are named), each checked against the catalogue. */
export function pickColumns(
  available: CatalogueColumn[],
  requested: readonly string[] | undefined,
  table: string,
): CatalogueColumn[] {
  if (!requested || requested.length === 0) return available;
  const names = available.map((c) => c.name);
  return requested.map((name) => {
    const column = available.find((c) => c.name === name);
    if (!column) throw inputError(`column '${name}' is not in table '${table}'`, unknownNameHint(name, names));
    return column;
  });
}
