/** The rows of a knex.raw result, whose shape differs by driver (pg: {rows}; mysql2: [rows, fields]; better-sqlite3: rows). */
export function rawRows<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
