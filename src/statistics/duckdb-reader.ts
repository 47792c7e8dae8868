/** How DuckDB reads a CSV or Parquet file: typed as gesalp reads it, or as the text of its cells. */
import { extname } from 'node:path';

/** The markers gesalp's CSV reader takes for a missing value (src/core/schema/values.ts), in the cases files use. */
const NULL_MARKERS = ['', 'NA', 'na', 'NaN', 'nan', 'null', 'NULL', 'None', 'none', 'N/A', 'n/a', '#N/A', '?'];

/** The types DuckDB may read a CSV column as. */
const TYPE_CANDIDATES = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR'];

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export const isParquet = (path: string): boolean => ['.parquet', '.pq'].includes(extname(path).toLowerCase());

/** The file as DuckDB types it; `text`: every CSV cell as the text written (what the split hashes). */
export function reader(path: string, text = false): string {
  if (isParquet(path)) return `read_parquet(${quoteText(path)})`;
  const nulls = `nullstr = [${NULL_MARKERS.map(quoteText).join(', ')}]`;
  if (text) return `read_csv(${quoteText(path)}, header = true, ${nulls}, all_varchar = true)`;
  // No BOOLEAN: 'yes'/'no' and 'true'/'false' stay the levels they are written as.
  const types = TYPE_CANDIDATES.map(quoteText).join(', ');
  return `read_csv(${quoteText(path)}, header = true, ${nulls}, auto_type_candidates = [${types}])`;
}
