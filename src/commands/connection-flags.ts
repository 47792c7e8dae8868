/**
 * The flags that name a database and how to reach it, and the state files its reads are charged
 * and logged in: one declaration for `sample-db` and `generate --client`, which read the same
 * databases under the same ledger and audit log.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DatabaseConnection } from '../api/sample-db.js';
import { inputError, usageError } from '../core/errors.js';
import { realTarget } from '../core/io/output-guard.js';
import type { parseClient } from '../sample-db/connection.js';
import type { Io } from './io.js';
import { integerOption } from './options.js';
import { resolvePassword } from './password.js';
import { stateDir } from './state-dir.js';

export interface ConnectionFlags {
  readonly client?: string;
  readonly connection?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly passwordEnv?: string;
  readonly passwordFile?: string;
  readonly ssl?: boolean;
  readonly sslCa?: string;
}

/** Where to reach the database (`--client` and `--table` are each command's own: their help differs). */
export function withConnectionOptions(command: Command): Command {
  return command
    .option(
      '--connection <url>',
      'postgres://user@host:port/db, mysql://user@host:port/db, or a SQLite file (no password here)',
    )
    .option('--host <host>', 'database host')
    .option('--port <port>', 'database port', integerOption(1))
    .option('--database <name>', 'database name')
    .option('--user <name>', 'database user')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-file <file>', 'read the password from this file')
    .option('--ssl', 'connect with TLS, verifying the server certificate')
    .option('--ssl-ca <file>', 'CA certificate (PEM) to verify the server with; implies --ssl');
}

/** The SQLite file a run names (--connection, else --database); undefined for a server. */
export function sqliteDatabase(client: ReturnType<typeof parseClient>, options: ConnectionFlags): string | undefined {
  const database = client === 'sqlite' ? (options.connection ?? options.database) : undefined;
  if (client === 'sqlite' && !database)
    throw usageError('no SQLite database named', 'Give --connection path/to/file.db.');
  return database;
}

/** The ledger (its real path: a symlinked ledger must not be replaced by a second file) and the audit log. */
export async function stateFiles(
  io: Io,
  options: { readonly ledger?: string; readonly auditLog?: string },
): Promise<{ ledger: string; auditLog: string }> {
  const state = stateDir(io.env);
  return {
    ledger: await realTarget(options.ledger ?? join(state, 'budget-ledger.json'), io.cwd),
    auditLog: resolve(io.cwd, options.auditLog ?? join(state, 'audit.jsonl')),
  };
}

/** The user's state folder, made (private to them) where the ledger or the audit log defaults into it. */
export async function makeStateDir(io: Io, options: { readonly ledger?: string; readonly auditLog?: string }) {
  if (!options.ledger || !options.auditLog) await mkdir(stateDir(io.env), { recursive: true, mode: 0o700 });
}

/** The connection as the library takes it: the password from its sources (`ask`: prompt when none), the CA read. */
export async function databaseConnection(
  io: Io,
  options: ConnectionFlags,
  client: ReturnType<typeof parseClient>,
  database: string | undefined,
  ask: boolean,
): Promise<DatabaseConnection> {
  const password = client === 'sqlite' ? undefined : await resolvePassword(io, options, ask);
  const sslCa = options.sslCa
    ? await readFile(resolve(io.cwd, options.sslCa), 'utf8').catch(() =>
        Promise.reject(inputError(`cannot read --ssl-ca ${options.sslCa}`)),
      )
    : undefined;
  return {
    client,
    connection: database ? resolve(io.cwd, database) : options.connection,
    host: options.host,
    port: options.port,
    database: database ? undefined : options.database,
    user: options.user,
    password,
    ssl: options.ssl,
    ssl_ca: sslCa,
  };
}
