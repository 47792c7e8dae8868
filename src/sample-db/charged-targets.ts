/**
 * Which ledger targets a privatised read of a table is charged to: the table itself, or for a
 * view every stored table it reads (a view is not a target of its own). Shared by sample-db and
 * by the statistics read from a database (generate --client).
 */
import type { Knex } from 'knex';
import { optionError } from '../core/errors.js';
import { baseTables } from './base-tables.js';
import type { CatalogueTable } from './catalogue.js';
import type { Client } from './connection.js';
import type { TargetIdentity } from './ledger/budget-ledger.js';
import { serverIdentity, sqliteIdentity, tableIdentity, type SqliteFile } from './target-identity.js';

export interface ChargedTargets {
  /** The table or view as named. */
  readonly own: TargetIdentity;
  /** Every stored table the read is charged to. */
  readonly charged: TargetIdentity[];
  /** The base tables, when the table is a view. */
  readonly view?: { readonly base_tables: string[] };
}

export async function chargedTargets(
  knex: Knex,
  client: Client,
  catalogue: CatalogueTable,
  sqlite: SqliteFile | undefined,
): Promise<ChargedTargets> {
  const database = sqlite ? sqliteIdentity(sqlite) : await serverIdentity(knex, client as 'pg' | 'mysql');
  const own = tableIdentity(database, catalogue);
  const bases = await baseTables(knex, client, catalogue);
  if (!bases.resolved)
    throw optionError(
      'input',
      'table',
      `cannot tell which stored tables ${catalogue.qualified} reads: ${bases.why}, so its budget cannot be charged`,
      'Read the tables it reads instead.',
    );
  return {
    own,
    charged: bases.tables.map((t) => tableIdentity(database, t)),
    ...(bases.view ? { view: { base_tables: bases.tables.map((t) => `${t.schema}.${t.name}`) } } : {}),
  };
}
