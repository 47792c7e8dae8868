/**
 * The stored tables a query of a table or view reads, from the catalogue: a view is not a target
 * of its own (its rows are its base tables' rows), so each base table is charged. SQLite: the
 * tables the compiled query opens (EXPLAIN's OpenRead root pages, looked up in sqlite_schema);
 * PostgreSQL: the relations a view's rewrite rule depends on (pg_rewrite and pg_depend), view
 * under view; MySQL/MariaDB: the schema-qualified tables named in the view's stored definition
 * (MariaDB has no VIEW_TABLE_USAGE; MySQL stores the same qualified form). A view whose bases
 * cannot be told (a user function, a virtual or foreign table, another database attached) is
 * refused by the caller unless the release is raw.
 */
import type { Knex } from 'knex';
import type { CatalogueTable } from './catalogue.js';
import type { Client } from './connection.js';
import { rawRows } from './raw-rows.js';

export interface BaseTable {
  readonly schema: string;
  readonly name: string;
}

export type BaseTables =
  | { readonly resolved: true; readonly view: boolean; readonly tables: BaseTable[] }
  | { readonly resolved: false; readonly why: string };

export function baseTables(knex: Knex, client: Client, table: CatalogueTable): Promise<BaseTables> {
  if (client === 'sqlite') return sqliteBases(knex, table);
  return client === 'pg' ? pgBases(knex, table) : mysqlBases(knex, table);
}

const unique = (tables: BaseTable[]): BaseTable[] =>
  [...new Map(tables.map((t) => [`${t.schema}.${t.name}`, t])).values()].sort((a, b) =>
    `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`),
  );

async function sqliteBases(knex: Knex, table: CatalogueTable): Promise<BaseTables> {
  const column = table.columns[0].name;
  const ops = rawRows<{ opcode: string; p2: number; p3: number }>(
    await knex.raw('explain select ?? from ??', [column, table.name]),
  );
  if (ops.some((op) => op.opcode === 'VOpen'))
    return { resolved: false, why: 'it reads a virtual table, whose storage gesalp cannot see' };
  const reads = ops.filter((op) => op.opcode === 'OpenRead');
  if (reads.some((op) => Number(op.p3) !== 0))
    return { resolved: false, why: 'it reads a table of another attached or temporary database' };
  const pages = [...new Set(reads.map((op) => Number(op.p2)))];
  const schema = rawRows<{ type: string; name: string; tbl_name: string; rootpage: number }>(
    await knex.raw("select type, name, tbl_name, rootpage from sqlite_master where type in ('table', 'index')"),
  );
  const tables: BaseTable[] = [];
  for (const page of pages) {
    const entry = schema.find((s) => Number(s.rootpage) === page);
    if (!entry) return { resolved: false, why: `it reads b-tree page ${page}, which no table or index of main owns` };
    tables.push({ schema: 'main', name: String(entry.tbl_name) });
  }
  if (!tables.length) return { resolved: false, why: 'it reads no stored table gesalp can name' };
  const type = rawRows<{ type: string }>(
    await knex.raw('select type from sqlite_master where name = ?', [table.name]),
  )[0]?.type;
  return { resolved: true, view: type === 'view', tables: unique(tables) };
}

/** Views under views, down to the relations that store rows (r: table, p: partitioned, m: materialised view). */
const PG_BASES = `
with recursive deps(oid, via) as (
  select to_regclass(format('%I.%I', ?::text, ?::text))::oid, 0::oid
  union
  select d.refobjid, deps.oid
  from deps
  join pg_rewrite r on r.ev_class = deps.oid
  join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
    and d.refclassid = 'pg_class'::regclass and d.refobjid <> deps.oid
)
select n.nspname as schema_name, c.relname as rel_name, c.relkind::text as kind,
  (select count(*) from pg_rewrite r join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
     where r.ev_class = c.oid and d.refclassid = 'pg_proc'::regclass) as functions
from deps join pg_class c on c.oid = deps.oid join pg_namespace n on n.oid = c.relnamespace`;

async function pgBases(knex: Knex, table: CatalogueTable): Promise<BaseTables> {
  const rows = rawRows<{ schema_name: string; rel_name: string; kind: string; functions: unknown }>(
    await knex.raw(PG_BASES, [table.schema, table.name]),
  );
  const self = rows.find((r) => r.schema_name === table.schema && r.rel_name === table.name);
  if (!self) return { resolved: false, why: 'the catalogue does not list it' };
  if (self.kind === 'r' || self.kind === 'p') return { resolved: true, view: false, tables: [table] };
  if (rows.some((r) => Number(r.functions) > 0))
    return { resolved: false, why: 'it calls a user-defined function, whose reads gesalp cannot see' };
  if (rows.some((r) => r.kind === 'f')) return { resolved: false, why: 'it reads a foreign table' };
  // A materialised view's rows came from its own query: its bases are charged, as for a view.
  const stored = rows.filter((r) => r.kind === 'r' || r.kind === 'p');
  if (!stored.length) return { resolved: false, why: 'no stored table was found under it' };
  return {
    resolved: true,
    view: true,
    tables: unique(stored.map((r) => ({ schema: String(r.schema_name), name: String(r.rel_name) }))),
  };
}

async function mysqlBases(knex: Knex, table: CatalogueTable, seen = new Set<string>()): Promise<BaseTables> {
  const key = `${table.schema}.${table.name}`;
  const kind = rawRows<{ table_type: string }>(
    await knex.raw(
      'select table_type as table_type from information_schema.tables where table_schema = ? and table_name = ?',
      [table.schema, table.name],
    ),
  )[0]?.table_type;
  if (kind === undefined) return { resolved: false, why: `${key} is not in the catalogue` };
  if (kind !== 'VIEW') return { resolved: true, view: false, tables: [{ schema: table.schema, name: table.name }] };
  if (seen.has(key)) return { resolved: true, view: true, tables: [] };
  seen.add(key);
  const definition = String(
    rawRows<{ definition: string }>(
      await knex.raw(
        'select view_definition as definition from information_schema.views where table_schema = ? and table_name = ?',
        [table.schema, table.name],
      ),
    )[0]?.definition ?? '',
  );
  if (!definition) return { resolved: false, why: `the definition of ${key} is not readable by this user` };
  // A quoted name called like a function is a stored one (built-ins are not quoted): its reads are unseen.
  if (/`(?:[^`]|``)+`\s*\(/.test(definition))
    return { resolved: false, why: 'it calls a stored function, whose reads gesalp cannot see' };
  // Stored definitions qualify every table as `schema`.`name`.
  const named = [...definition.matchAll(/`((?:[^`]|``)+)`\.`((?:[^`]|``)+)`(?!\s*\.)/g)];
  const tables: BaseTable[] = [];
  for (const match of named) {
    const ref = { schema: match[1].replace(/``/g, '`'), name: match[2].replace(/``/g, '`') };
    // Column references (`alias`.`column`) name no table of the catalogue and drop out here.
    const exists = rawRows(
      await knex.raw('select 1 as x from information_schema.tables where table_schema = ? and table_name = ?', [
        ref.schema,
        ref.name,
      ]),
    ).length;
    if (!exists) continue;
    const below = await mysqlBases(knex, { ...ref, qualified: `${ref.schema}.${ref.name}`, columns: [] }, seen);
    if (!below.resolved) return below;
    tables.push(...below.tables);
  }
  if (!tables.length) return { resolved: false, why: 'no stored table was found under it' };
  return { resolved: true, view: true, tables: unique(tables) };
}
