/**
 * Outside DP, the levels of a file's text columns the metadata file does not declare, read by
 * DuckDB (a file is gesalp's to read, unlike the user's database, where a level list would need a
 * GROUP BY over the raw column): added to the metadata as declared categories, so the fit takes
 * the one path declared columns take. Under DP nothing is read here (SPEC section 8).
 */
import { inputError } from '../core/errors.js';
import type { ColumnMetadata, TableMetadata } from '../core/schema/metadata.js';
import { quoteIdentifier } from './duckdb-reader.js';
import type { FileStatistics } from './duckdb-source.js';

/** Levels past which a text column is not modelled as categories (it is a key or free text). */
export const MAX_FILE_LEVELS = 10_000;

export async function withFileLevels(
  source: FileStatistics,
  metadata: TableMetadata | undefined,
): Promise<TableMetadata> {
  const columns = new Map<string, ColumnMetadata>(metadata?.columns ?? []);
  for (const column of source.columns) {
    const declared = columns.get(column.name);
    if (column.kind !== 'categorical' || declared?.categories || (declared?.kind && declared.kind !== 'categorical'))
      continue;
    const name = quoteIdentifier(column.name);
    const rows = (
      await source.connection.runAndReadAll(
        `select distinct ${name} as v from gesalp_source where ${name} is not null order by 1 limit ${MAX_FILE_LEVELS + 1}`,
      )
    ).getRowObjectsJS();
    if (rows.length > MAX_FILE_LEVELS)
      throw inputError(
        `column '${column.name}' has more than ${MAX_FILE_LEVELS} distinct values: too many categories to model`,
        `Declare it an identifier in the metadata file: {"columns": {"${column.name}": {"kind": "identifier"}}}.`,
      );
    columns.set(column.name, { ...declared, kind: 'categorical', categories: rows.map((r) => String(r.v)) });
  }
  return { draftedFromData: metadata?.draftedFromData ?? false, ...metadata, columns };
}
