/** How DuckDB reads a CSV or Parquet file: typed as gesalp reads it, or as the text of its cells. */
import { extname } from 'node:path';

/** The markers gesalp's CSV reader takes for a missing value (src/core/schema/values.ts), in the cases files use. */
const NULL_MARKERS = ['', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', 'None', 'none', 'N/A', 'n/a', '#N/A', '?'];

/** The types DuckDB may read a CSV column as. */
const TYPE_CANDIDATES = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR'];

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export const isParquet = (path: string): boolean => ['.parquet', '.pq'].includes(extname(path).toLowerCase());

/** The CSV dialect DuckDB is told (file-dialect.ts sniffs it as gesalp's reader does); absent: DuckDB sniffs. */
export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
}

/**
 * The file as DuckDB types it; `text`: every CSV cell as the text written (what the split hashes
 * and what is cast to the typed reading's types). The missing markers are missing in the typed
 * reading (a number column's "NA"); as text only an empty cell is, since gesalp's reader keeps
 * "none" or "NA" as a level of a text column.
 */
export function reader(path: string, text = false, dialect?: CsvDialect): string {
  if (isParquet(path)) return `read_parquet(${quoteText(path)})`;
  const nulls = `nullstr = [${(text ? [''] : NULL_MARKERS).map(quoteText).join(', ')}]`;
  // A quote inside a quoted field is doubled (RFC 4180), as gesalp's scanner reads it.
  const told = dialect
    ? `, delim = ${quoteText(dialect.delimiter)}, quote = ${quoteText(dialect.quote)}, escape = ${quoteText(dialect.quote)}`
    : '';
  if (text) return `read_csv(${quoteText(path)}, header = true${told}, ${nulls}, all_varchar = true)`;
  // No BOOLEAN: 'yes'/'no' and 'true'/'false' stay the levels they are written as.
  const types = TYPE_CANDIDATES.map(quoteText).join(', ');
  return `read_csv(${quoteText(path)}, header = true${told}, ${nulls}, auto_type_candidates = [${types}])`;
}
