/**
 * Runs the sampling query in a read-only transaction with a statement timeout and yields rows
 * one at a time, so memory does not grow with the table: pg-query-stream on PostgreSQL, mysql2's
 * row stream on MySQL/MariaDB, better-sqlite3's statement iterator on SQLite (knex would load
 * every SQLite row first).
 */
import type { Knex } from 'knex';
import { optionError } from '../core/errors.js';
import type { Client } from './connection.js';
import { rawRows } from './raw-rows.js';
import { SQLITE_KEEP_FUNCTION, sqliteKeep } from './sample-query.js';

export interface StreamOptions {
  readonly timeoutMs: number;
}

type Row = Record<string, unknown>;

export async function* streamRows(
  knex: Knex,
  client: Client,
  query: Knex.Raw,
  options: StreamOptions,
): AsyncGenerator<Row> {
  if (client === 'sqlite') {
    yield* streamSqlite(knex, query, options);
    return;
  }
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  if (client === 'mysql') {
    // The pool holds one connection, so these session settings apply to the transaction below.
    const version = String(rawRows<{ v: string }>(await knex.raw('select version() as v'))[0]?.v ?? '');
    await knex.raw(
      version.includes('MariaDB')
        ? `set session max_statement_time = ${seconds}`
        : `set session max_execution_time = ${seconds * 1000}`,
    );
    await knex.raw('set session transaction read only');
  }
  const trx = await knex.transaction();
  try {
    if (client === 'pg') {
      await trx.raw('set transaction read only');
      await trx.raw(`set local statement_timeout = ${Math.round(options.timeoutMs)}`);
    }
    const { sql, bindings } = query.toSQL();
    const stream = trx.raw(sql, bindings as Knex.RawBinding[]).stream();
    for await (const row of stream as AsyncIterable<Row>) yield row;
    await trx.commit();
  } catch (error) {
    await trx.rollback().catch(() => undefined);
    throw error;
  }
}

interface SqliteDatabase {
  prepare(sql: string): { iterate(...bindings: unknown[]): IterableIterator<Row>; run(): void };
  function(name: string, options: { deterministic: boolean }, fn: (...args: never[]) => unknown): void;
}

async function* streamSqlite(knex: Knex, query: Knex.Raw, options: StreamOptions): AsyncGenerator<Row> {
  const db = (await knex.client.acquireConnection()) as SqliteDatabase;
  try {
    db.function(SQLITE_KEEP_FUNCTION, { deterministic: false }, sqliteKeep as (...args: never[]) => unknown);
    const native = query.toSQL().toNative();
    db.prepare('begin').run();
    const started = Date.now();
    try {
      for (const row of db.prepare(native.sql).iterate(...(native.bindings as unknown[]))) {
        // SQLite has no statement timeout: the read stops here instead.
        if (Date.now() - started > options.timeoutMs)
          throw optionError(
            'database',
            'timeout_ms',
            `the query ran past the statement timeout (${options.timeoutMs} ms)`,
            'Sample a smaller {fraction} or raise {timeout_ms}.',
            ['fraction'],
          );
        yield row;
      }
    } finally {
      db.prepare('commit').run();
    }
  } finally {
    await knex.client.releaseConnection(db);
  }
}
