/**
 * What a target is, for the budget ledger, however it was spelled: for SQLite the database file's
 * real path (with its device and inode as another name, so hard links count too); for PostgreSQL
 * and MySQL/MariaDB the host, port and database as the server itself reports them (with the
 * server's own id as another name where it has one), followed by the catalogue's schema-qualified
 * table name.
 */
import { realpath, stat } from 'node:fs/promises';
import type { Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import type { TargetIdentity } from '../budget-ledger.js';
import type { Client } from './connection.js';
import { rawRows } from './raw-rows.js';

interface DatabaseIdentity {
  readonly key: string;
  readonly aliases: string[];
}

async function firstRow(knex: Knex, sql: string): Promise<Record<string, unknown> | undefined> {
  try {
    return rawRows(await knex.raw(sql))[0];
  } catch {
    return undefined; // not readable by this user, or not this server's dialect
  }
}

async function sqliteIdentity(file: string): Promise<DatabaseIdentity> {
  try {
    const real = await realpath(file);
    const info = await stat(real);
    return { key: `sqlite:${real}`, aliases: [`sqlite-inode:${info.dev}:${info.ino}`] };
  } catch (error) {
    throw new GesalpError(
      'database',
      `cannot resolve the SQLite database ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'Check the path of the database file.',
    );
  }
}

async function serverIdentity(knex: Knex, client: 'pg' | 'mysql'): Promise<DatabaseIdentity> {
  const where =
    client === 'pg'
      ? await firstRow(
          knex,
          "select coalesce(host(inet_server_addr()), 'local') as host, current_setting('port') as port, current_database() as db",
        )
      : await firstRow(knex, 'select @@hostname as host, @@port as port, database() as db');
  if (!where)
    throw new GesalpError(
      'database',
      'the server did not say which host, port and database this is',
      "Check the user's rights on the server.",
    );
  const db = String(where.db ?? '');
  const own =
    client === 'pg'
      ? await firstRow(knex, 'select system_identifier::text as id from pg_control_system()')
      : await firstRow(knex, 'select @@server_uuid as id');
  return {
    key: `${client}://${String(where.host)}:${String(where.port)}/${db}`,
    aliases: own?.id ? [`${client}-server:${String(own.id)}/${db}`] : [],
  };
}

export async function targetIdentity(
  knex: Knex,
  client: Client,
  sqliteFile: string | undefined,
  qualifiedTable: string,
): Promise<TargetIdentity> {
  const database = client === 'sqlite' ? await sqliteIdentity(sqliteFile ?? '') : await serverIdentity(knex, client);
  return {
    key: `${database.key}/${qualifiedTable}`,
    aliases: database.aliases.map((alias) => `${alias}/${qualifiedTable}`),
  };
}
