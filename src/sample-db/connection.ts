/**
 * Database connection settings for knex (pg, mysql2, better-sqlite3). The password comes only
 * from the caller (an environment variable, a file or a prompt, resolved by the command); a
 * password written into --connection is refused, and every place that echoes a target uses
 * the redacted form.
 */
import type { Knex } from 'knex';
import { optionError, unknownNameHint } from '../core/errors.js';

export const CLIENTS = ['pg', 'mysql', 'sqlite'] as const;
export type Client = (typeof CLIENTS)[number];

export interface ConnectionSpec {
  readonly client: Client;
  /** A URL (postgres://user@host:port/db, mysql://...) or, for sqlite, a file path. */
  readonly connection?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly ssl?: boolean;
  /** The CA certificate's contents (PEM), from --ssl-ca. */
  readonly sslCa?: string;
}

interface Endpoint {
  host: string;
  port?: number;
  database?: string;
  user?: string;
}

export function parseClient(name: string): Client {
  if (!(CLIENTS as readonly string[]).includes(name))
    throw optionError('usage', 'client', `unknown {client} '${name}'`, unknownNameHint(name, CLIENTS));
  return name as Client;
}

function endpoint(spec: ConnectionSpec): Endpoint {
  if (!spec.connection) {
    if (!spec.host && !spec.database)
      throw optionError(
        'usage',
        'connection',
        'no database named',
        'Give {connection} URL, or {host}, {port}, {database} and {user}.',
        ['host', 'port', 'database', 'user'],
      );
    return { host: spec.host ?? 'localhost', port: spec.port, database: spec.database, user: spec.user };
  }
  let url: URL;
  try {
    url = new URL(spec.connection);
  } catch {
    throw optionError(
      'usage',
      'connection',
      `{connection} '${redactUrl(spec.connection)}' is not a URL`,
      `Write it as ${spec.client === 'pg' ? 'postgres' : 'mysql'}://user@host:port/database.`,
    );
  }
  if (url.password) {
    throw optionError(
      'usage',
      'connection',
      'refusing a password inside {connection}: it would show in the process list and the shell history',
      'Remove it from the URL and pass it with {password}.',
      ['password'],
    );
  }
  return {
    // An IPv6 literal is bracketed in a URL ([::1]) and bare for the drivers' connect (::1).
    host: spec.host ?? decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'),
    port: spec.port ?? (url.port ? Number(url.port) : undefined),
    database: spec.database ?? (decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined),
    user: spec.user ?? (url.username ? decodeURIComponent(url.username) : undefined),
  };
}

/** The SQLite database file a spec names. */
export function sqliteFile(spec: ConnectionSpec): string {
  const filename = spec.connection ?? spec.database;
  if (!filename)
    throw optionError('usage', 'connection', 'no SQLite database named', 'Give {connection} path/to/file.db.');
  return filename;
}

/**
 * knex's own logger prints to stdout (a connection failure with its stack, say), which would
 * corrupt --json and the rows: its messages go to `log` instead, which the command shows only
 * with --debug.
 */
function knexLog(log: (message: string) => void): Knex.Config['log'] {
  const forward = (message: unknown) => log(typeof message === 'string' ? message : JSON.stringify(message));
  return { warn: forward, error: forward, deprecate: forward, debug: forward };
}

/**
 * `opened`: called on each new connection before it is used (SQLite: the check that the file
 * opened is the one resolved and charged); a throw refuses the connection.
 */
export function knexConfig(
  spec: ConnectionSpec,
  log: (message: string) => void = () => undefined,
  opened?: () => void,
): Knex.Config {
  if (spec.client === 'sqlite') {
    return {
      client: 'better-sqlite3',
      connection: { filename: sqliteFile(spec), options: { readonly: true } },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (connection: unknown, done: (error: Error | null, connection: unknown) => void) => {
          try {
            opened?.();
            done(null, connection);
          } catch (error) {
            done(error as Error, connection);
          }
        },
      },
      log: knexLog(log),
    };
  }
  const e = endpoint(spec);
  const ssl =
    spec.ssl || spec.sslCa ? { rejectUnauthorized: true, ...(spec.sslCa ? { ca: spec.sslCa } : {}) } : undefined;
  const connection = {
    host: e.host,
    port: e.port,
    database: e.database,
    user: e.user,
    password: spec.password,
    ...(ssl ? { ssl } : {}),
  };
  return {
    client: spec.client === 'pg' ? 'pg' : 'mysql2',
    connection,
    pool: { min: 1, max: 1 },
    acquireConnectionTimeout: 15000,
    log: knexLog(log),
  };
}

/** The target as users see it in messages, metadata and the audit log: never a password. */
export function describeTarget(spec: ConnectionSpec): string {
  if (spec.client === 'sqlite') return `sqlite:${spec.connection ?? spec.database ?? ''}`;
  const e = endpoint(spec);
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${spec.client}://${e.user ? `${e.user}@` : ''}${host}${e.port ? `:${e.port}` : ''}/${e.database ?? ''}`;
}

export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** Removes a secret from a driver's error message before it is shown. */
export function scrub(message: string, secret: string | undefined): string {
  return secret ? message.split(secret).join('***') : message;
}
