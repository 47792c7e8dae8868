/**
 * Table and column names checked against the database's own catalogue before any query uses
 * them (and then quoted as identifiers by knex): a name that is not in the catalogue, however
 * it is spelled, never reaches SQL text.
 */
import type { Knex } from 'knex';
import { GesalpError, inputError, unknownNameHint } from '../../core/errors.js';
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

export async function tableColumns(knex: Knex, client: Client, table: string): Promise<CatalogueColumn[]> {
  let result: unknown;
  if (client === 'sqlite') {
    result = await knex.raw('select name, type from pragma_table_info(?)', [table]);
  } else if (client === 'pg') {
    const dot = table.indexOf('.');
    const [schema, name] = dot > 0 ? [table.slice(0, dot), table.slice(dot + 1)] : [null, table];
    result = await knex.raw(
      'select column_name as name, data_type as type from information_schema.columns where table_schema = coalesce(?, current_schema()) and table_name = ? order by ordinal_position',
      [schema, name],
    );
  } else {
    result = await knex.raw(
      'select column_name as name, data_type as type from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position',
      [table],
    );
  }
  const rows = rawRows<{ name: string; type: string }>(result);
  if (rows.length === 0) {
    const tables = await listTables(knex, client);
    throw new GesalpError(
      'database',
      `table '${table}' not found (or not readable)`,
      tables.length ? unknownNameHint(table, tables) : 'The database has no tables this user can read.',
    );
  }
  return rows.map((r) => {
    const type = String(r.type ?? '');
    return { name: String(r.name), type, numeric: NUMERIC_TYPE.test(type), integer: INTEGER_TYPE.test(type) };
  });
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
