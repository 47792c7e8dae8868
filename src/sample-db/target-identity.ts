/**
 * What a target is, for the budget ledger, however it was spelled: for SQLite the database file's
 * real path (with its device and inode as another name, so hard links count too); for PostgreSQL
 * and MySQL/MariaDB the host, port and database as the server itself reports them (with the
 * server's own id as another name where it has one), followed by the catalogue's schema-qualified
 * table name (for MySQL, whose schemas are databases, the table's own database).
 *
 * SQLite's file is resolved before it is opened, the resolved path is what SQLite opens, and the
 * opened file is then checked to be the one resolved (its device and inode among the files this
 * process holds open), so a link or a rename swapped in between cannot have one file read and
 * another charged.
 */
import { readdirSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { Knex } from 'knex';
import { GesalpError } from '../core/errors.js';
import type { TargetIdentity } from './ledger/budget-ledger.js';
import type { BaseTable } from './base-tables.js';
import type { Client } from './connection.js';
import { rawRows } from './raw-rows.js';

/** A database, before the table: its key prefix and other names. */
export interface DatabaseIdentity {
  readonly client: Client;
  readonly key: string;
  readonly aliases: string[];
  /** MySQL's key names the table's own database; the server part and its own id are kept apart for that. */
  readonly server?: string;
  readonly serverId?: string;
}

/** A SQLite file as resolved before it is opened. */
export interface SqliteFile {
  readonly real: string;
  readonly dev: number;
  readonly ino: number;
}

async function firstRow(knex: Knex, sql: string): Promise<Record<string, unknown> | undefined> {
  try {
    return rawRows(await knex.raw(sql))[0];
  } catch {
    return undefined; // not readable by this user, or not this server's dialect
  }
}

/** Resolves the SQLite database file: what SQLite must open, and what the ledger charges. */
export async function resolveSqliteFile(file: string): Promise<SqliteFile> {
  try {
    const real = await realpath(file);
    const info = await stat(real);
    return { real, dev: info.dev, ino: info.ino };
  } catch (error) {
    throw new GesalpError(
      'database',
      `cannot resolve the SQLite database ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'Check the path of the database file.',
    );
  }
}

/**
 * Throws unless the resolved file is the one SQLite opened: this process must hold it open (on
 * Linux the open files are listed in /proc/self/fd; elsewhere the path must still name it).
 */
export function checkOpenedFile(file: SqliteFile): void {
  const held = holdsOpen(file);
  if (held ?? sameFile(file)) return;
  throw new GesalpError(
    'database',
    `the SQLite database ${file.real} changed while it was opened: the file read would not be the file charged`,
    'Make sure nothing renames or replaces the database file while gesalp reads it, and run the query again.',
  );
}

function holdsOpen(file: SqliteFile): boolean | undefined {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return undefined;
  }
  return fds.some((fd) => {
    try {
      const info = statSync(`/proc/self/fd/${fd}`);
      return info.dev === file.dev && info.ino === file.ino;
    } catch {
      return false; // closed while listed
    }
  });
}

function sameFile(file: SqliteFile): boolean {
  try {
    const info = statSync(file.real);
    return info.dev === file.dev && info.ino === file.ino;
  } catch {
    return false;
  }
}

export const sqliteIdentity = (file: SqliteFile): DatabaseIdentity => ({
  client: 'sqlite',
  key: `sqlite:${file.real}`,
  aliases: [`sqlite-inode:${file.dev}:${file.ino}`],
});

export async function serverIdentity(knex: Knex, client: 'pg' | 'mysql'): Promise<DatabaseIdentity> {
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
  const server = `${client}://${String(where.host)}:${String(where.port)}`;
  return {
    client,
    key: `${server}/${db}`,
    aliases: own?.id ? [`${client}-server:${String(own.id)}/${db}`] : [],
    server,
    ...(own?.id ? { serverId: String(own.id) } : {}),
  };
}

/** The ledger's identity of one table of the database. */
export function tableIdentity(database: DatabaseIdentity, table: BaseTable): TargetIdentity {
  const qualified = `${table.schema}.${table.name}`;
  if (database.client === 'mysql') {
    // A MySQL schema is a database: db2.t read while connected to db1 is the same table as from db2.
    return {
      key: `${database.server}/${table.schema}/${qualified}`,
      aliases: database.serverId ? [`mysql-server:${database.serverId}/${table.schema}/${qualified}`] : [],
    };
  }
  return {
    key: `${database.key}/${qualified}`,
    aliases: database.aliases.map((alias) => `${alias}/${qualified}`),
  };
}
