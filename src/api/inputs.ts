/**
 * What the API's functions take as a table: a file path (CSV, Parquet, Arrow), a gesalp `Table`,
 * rows as plain objects, or CSV text on a stream. Every form goes through the one reader the CLI
 * uses: a Table or rows as the CSV writeTable would write, so they are typed as that file would be
 * (number-like labels of a categorical column compare as numbers, an empty label is missing). A
 * Table's kinds guide the reading; under DP they are no declaration (they may have been read off
 * the private rows): public kinds are declared with `metadata`, `discrete` and `continuous`.
 */
import { usageError } from '../core/errors.js';
import { loadInputs, type InputSpec, type LoadedInputs, type LoadOptions } from '../core/io/load-inputs.js';
import type { DialectRequest } from '../core/io/dialect.js';
import type { TableSource } from '../core/io/read-table.js';
import { quoteField, tableToCsv } from '../core/io/write-csv.js';
import type { Table } from '../core/table.js';
import type { MetadataInput } from './metadata.js';

/** One row: column name to value (null, undefined or NaN: missing; a Date: its ISO text). */
export type Row = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

/** A path; a Table; rows as objects; or CSV text arriving on a stream (stdin), with the name messages give it. */
export type TableInput = string | Table | readonly Row[] | TableSource;

const isTable = (input: TableInput): input is Table =>
  typeof input === 'object' && !Array.isArray(input) && 'columns' in input && 'rowCount' in input;

const isSource = (input: TableInput): input is TableSource =>
  typeof input === 'object' && !Array.isArray(input) && 'stream' in input && 'name' in input;

/** How the input tables are read: declared kinds, the metadata file, the CSV dialect. */
export interface TableReading {
  /** The table's metadata file (gesalp schema), or its declaration; under DP what it declares is public. */
  readonly metadata?: MetadataInput;
  /** Columns to read as categorical (integer codes, zip codes). */
  readonly discrete?: readonly string[];
  /** Integer-coded columns to read as numbers. */
  readonly continuous?: readonly string[];
  /** What is known of the CSV dialect (delimiter, quote, decimal mark, encoding); the rest is sniffed. */
  readonly dialect?: DialectRequest;
}

/**
 * Reads the inputs as one set (the first is the real table, whose schema types the others). The
 * text columns they were read into are let go: held beside the typed tables for a whole run, they
 * would add most of a table's size again.
 */
export async function readInputs(inputs: readonly TableInput[], options: LoadOptions = {}): Promise<LoadedInputs> {
  const discrete = new Set(options.discrete ?? []);
  const continuous = new Set(options.continuous ?? []);
  const specs = inputs.map((input, i): InputSpec => {
    if (typeof input === 'string' || isSource(input)) return input;
    if (isTable(input)) {
      // Its kinds guide the reading: a categorical column of number-like labels stays categorical. A
      // datetime column, written as ISO text, is read back as dates by inference: declared neither way.
      for (const column of input.columns)
        if (!discrete.has(column.name) && !continuous.has(column.name) && column.kind !== 'datetime')
          (column.kind === 'categorical' ? discrete : continuous).add(column.name);
      return textSource(`(table ${i + 1})`, tableToCsv(input));
    }
    if (Array.isArray(input)) return textSource(`(rows ${i + 1})`, rowsToCsv(input as readonly Row[]));
    throw usageError(
      `input ${i + 1} is neither a path, a Table nor an array of rows`,
      'Give a file path, a Table from readTable, rows as objects, or a { name, stream } of CSV text.',
    );
  });
  const { schema, tables, files } = await loadInputs(specs, {
    ...options,
    discrete: [...discrete],
    continuous: [...continuous],
  });
  return { schema, tables, files };
}

const textSource = (name: string, text: string): TableSource => ({
  name,
  stream: (async function* () {
    yield text;
  })(),
});

function rowsToCsv(rows: readonly Row[]): string {
  if (!rows.length) throw usageError('the rows are empty', 'Give at least one row.');
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: Row[string]): string => {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return '';
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'number' ? String(value) : quoteField(String(value));
  };
  const lines = [names.map(quoteField).join(','), ...rows.map((row) => names.map((n) => cell(row[n])).join(','))];
  return `${lines.join('\n')}\n`;
}
