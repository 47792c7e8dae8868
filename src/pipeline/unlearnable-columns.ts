/**
 * Columns the metadata declares identifiers or personal data (SPEC section 9) are never learned and
 * never copied: they leave the table before anything reads it, and the run says so.
 */
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Table } from '../core/table.js';

export function withoutUnlearnable(
  table: Table,
  metadata: TableMetadata | undefined,
): { table: Table; dropped: string[]; said: string[] } {
  if (!metadata) return { table, dropped: [], said: [] };
  const unlearnable = (name: string) => {
    const kind = metadata.columns.get(name)?.kind;
    return kind === 'identifier' || kind === 'pii';
  };
  const kept = table.columns.filter((c) => !unlearnable(c.name));
  if (kept.length === table.columns.length) return { table, dropped: [], said: [] };
  const dropped = table.columns.filter((c) => unlearnable(c.name)).map((c) => c.name);
  const said = dropped.map((name) => {
    const meta = metadata.columns.get(name)!;
    const what = meta.kind === 'pii' ? `personal data${meta.pii ? ` (${meta.pii})` : ''}` : 'an identifier';
    return `column '${name}' is declared ${what} in the metadata: it is dropped, never learned and never written`;
  });
  return { table: { rowCount: table.rowCount, columns: kept }, dropped, said };
}
