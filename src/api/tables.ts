/** Reading and writing tables from code: the same reader and writer as the CLI's. */
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { tableToCsv } from '../core/io/write-csv.js';
import type { Table } from '../core/table.js';
import { readInputs, type TableInput, type TableReading } from './inputs.js';

/** How to read: declared kinds and the CSV dialect (no metadata file: see generate and evaluate). */
export type ReadTableOptions = Omit<TableReading, 'metadata'>;

/** A file (CSV, Parquet, Arrow) or rows as objects, typed column by column as `gesalp generate` types them. */
export async function readTable(input: TableInput, options: ReadTableOptions = {}): Promise<Table> {
  return (await readInputs([input], options)).tables[0];
}

export interface WriteTableOptions {
  /** Prefix cells a spreadsheet would run as a formula (=, +, -, @) with a quote. */
  readonly excel_safe?: boolean;
}

/** Writes the table as CSV, whole or not at all (written aside, then renamed). */
export async function writeTable(table: Table, path: string, options: WriteTableOptions = {}): Promise<void> {
  await writeFileAtomic(path, tableToCsv(table, { excelSafe: options.excel_safe }));
}
