/**
 * The few places the engines' SQL differs, kept here: how a column's value reads as a number
 * (dates as seconds since 1970, as gesalp's tables hold them) and as text. Everything else the
 * statistics queries use (CASE, count, sum, min, max, GROUP BY over a derived table) is the
 * common core that PostgreSQL, a distributed PostgreSQL (Citus), MySQL/MariaDB, SQLite and DuckDB
 * all run unchanged.
 */
export const DIALECTS = ['pg', 'mysql', 'sqlite', 'duckdb'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** How a column is stored, for reading it as a number or as text. */
export type StoredType = 'number' | 'date' | 'text';

/**
 * The column (written `??`, an identifier placeholder) as a double, whatever its stored type
 * (an integer, a decimal, a date as seconds since 1970): bin edges are compared and grid cells
 * computed in the same IEEE arithmetic as gesalp's own encoders, so a value on an edge lands in
 * the same bin in SQL as in memory.
 */
export function numberExpression(dialect: Dialect, stored: StoredType): string {
  const date = stored === 'date';
  switch (dialect) {
    case 'pg':
      return date ? 'cast(extract(epoch from ??) as double precision)' : 'cast(?? as double precision)';
    case 'mysql':
      return date ? "(timestampdiff(second, '1970-01-01', ??) + 0e0)" : '(?? + 0e0)';
    case 'sqlite':
      return date ? '((julianday(??) - 2440587.5) * 86400.0)' : 'cast(?? as real)';
    case 'duckdb':
      return date ? 'epoch(??)' : 'cast(?? as double)';
  }
}

/** The column as text, for comparing with a level list. */
export function textExpression(dialect: Dialect): string {
  switch (dialect) {
    case 'mysql':
      return 'cast(?? as char)';
    case 'sqlite':
      return 'cast(?? as text)';
    default:
      return 'cast(?? as varchar)';
  }
}
