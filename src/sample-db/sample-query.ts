/**
 * The sampling query for each engine, with Bernoulli sampling pushed down: PostgreSQL's
 * TABLESAMPLE BERNOULLI with REPEATABLE, a seeded RAND() filter on MySQL/MariaDB, and on SQLite
 * a filter by a seeded hash of the rowid (a function registered on the connection). Identifiers
 * are quoted by knex (??), values bound (?).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Client } from './connection.js';
import { secureUniform } from '../privacy/mechanisms.js';

const unseeded = secureUniform();

export interface SampleSpec {
  readonly table: string;
  readonly columns: readonly string[];
  /** Bernoulli sampling rate in (0, 1]; 1 reads every row. */
  readonly fraction: number;
  readonly seed?: number;
  readonly limit?: number;
}

export const SQLITE_KEEP_FUNCTION = 'gesalp_keep';

export function sampleQuery(knex: Knex, client: Client, spec: SampleSpec): Knex.Raw {
  const columns = spec.columns.map(() => '??').join(', ');
  const sampled = spec.fraction < 1;
  let sql = `select ${columns} from ??`;
  const bindings: (string | number)[] = [...spec.columns, spec.table];
  if (sampled && client === 'pg') {
    sql += ' tablesample bernoulli (?)';
    bindings.push(spec.fraction * 100);
    if (spec.seed !== undefined) {
      sql += ' repeatable (?)';
      bindings.push(spec.seed);
    }
  } else if (sampled && client === 'mysql') {
    sql += spec.seed !== undefined ? ' where rand(?) < ?' : ' where rand() < ?';
    if (spec.seed !== undefined) bindings.push(spec.seed);
    bindings.push(spec.fraction);
  } else if (sampled) {
    sql += ` where ${SQLITE_KEEP_FUNCTION}(rowid, ?, ?)`;
    bindings.push(spec.seed ?? -1, spec.fraction);
  }
  if (spec.limit !== undefined) {
    sql += ' limit ?';
    bindings.push(spec.limit);
  }
  return knex.raw(sql, bindings);
}

/** A stable id for a query: its SQL text and bound values. */
export function queryFingerprint(query: Knex.Raw): string {
  const { sql, bindings } = query.toSQL();
  return createHash('sha256')
    .update(`${sql}\n${JSON.stringify(bindings)}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * SQLite's sampling filter: keep the row when a hash of (rowid, seed) falls below the fraction.
 * With no seed (-1), a fresh random draw per row.
 */
export function sqliteKeep(rowid: number | bigint, seed: number, fraction: number): number {
  if (seed < 0) return unseeded() < fraction ? 1 : 0;
  let h =
    Math.imul(Number(BigInt.asIntN(32, BigInt(rowid))) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed | 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < fraction ? 1 : 0;
}
