/**
 * Reads the real table and the tables compared with it, infers the schema from the real one
 * and encodes them all under it, so categories share codes.
 */
import type { Dialect, DialectRequest } from './dialect.js';
import type { RawTable } from './raw-table.js';
import { readCsv, readTableFile, type CsvOptions, type ReadResult, type TableSource } from './read-table.js';
import { inferSchema } from '../schema/infer.js';
import { TableEncoder } from '../schema/encode.js';
import type { KindOverrides, Schema } from '../schema/schema.js';
import { checkMetadataColumns, type TableMetadata } from '../schema/metadata.js';
import type { Table } from '../table.js';

export interface InputFile {
  readonly path: string;
  readonly rows: number;
  readonly columns: number;
  readonly bytes: number;
  readonly sha256: string;
  /** How a CSV file was read: given or sniffed (undefined for Parquet and Arrow). */
  readonly dialect?: Dialect;
}

/** The inputs typed under one schema, and the files they came from. */
export interface LoadedInputs {
  readonly schema: Schema;
  readonly tables: Table[];
  readonly files: InputFile[];
}

/** The typed inputs with the text columns they were read into (what the reader's own checks compare). */
export interface RawInputs extends LoadedInputs {
  readonly raw: RawTable[];
}

/** A path, or a stream (stdin) standing for "-". */
export type InputSpec = string | TableSource;

export interface LoadOptions extends KindOverrides {
  /** The table's metadata file: its columns are checked against the header, its kinds typed as declared. */
  readonly metadata?: { readonly value: TableMetadata; readonly file: string };
  /** Under DP: no value of the first table may make reading fail (its kinds are released later, not read). */
  readonly lenient?: boolean;
  /** The CSV dialect the user gave (--delimiter, --quote, --decimal, --encoding); the rest is sniffed per file. */
  readonly dialect?: DialectRequest;
  /** The inputs (by position) that `dialect` describes; the others are sniffed whole. Default: every input. */
  readonly dialectInputs?: readonly number[];
  /** Called as each input has been read (a command prints its dialect). */
  readonly onRead?: (file: InputFile) => void;
}

export async function loadInputs(inputs: readonly InputSpec[], options: LoadOptions): Promise<RawInputs> {
  const reads: ReadResult[] = [];
  const files: InputFile[] = [];
  const textColumns = declaredText(options);
  for (const [i, input] of inputs.entries()) {
    // Under DP only the first input is private; a public validation file is sniffed as any other.
    const dialect = !options.dialectInputs || options.dialectInputs.includes(i) ? options.dialect : undefined;
    const csv: CsvOptions = { dialect, headerOnly: options.lenient && i === 0, textColumns };
    const read = typeof input === 'string' ? await readTableFile(input, csv) : await readCsv(input, csv);
    const file = {
      path: read.table.source,
      rows: read.table.rowCount,
      columns: read.table.columns.length,
      bytes: read.bytes,
      sha256: read.sha256,
      ...(read.dialect ? { dialect: read.dialect } : {}),
    };
    options.onRead?.(file);
    reads.push(read);
    files.push(file);
  }
  const raw = reads.map((r) => r.table);
  const schema = inferSchema(raw[0], raw.slice(1), withDeclaredKinds(options, raw[0]), options.lenient);
  const encoder = new TableEncoder(schema);
  const tables = raw.map((t) => encoder.encode(t));
  return { schema, tables, files, raw };
}

/** Columns the flags or the metadata file declare not numeric, whose number-like text reading leaves alone. */
function declaredText(options: LoadOptions): string[] {
  const declared = [...(options.metadata?.value.columns ?? [])]
    .filter(([, c]) => c.kind && c.kind !== 'numeric' && c.kind !== 'integer')
    .map(([name]) => name);
  return [...(options.discrete ?? []), ...declared];
}

/** The flags' kinds with the metadata's declared ones added (categorical and boolean, or numeric and integer). */
function withDeclaredKinds(options: LoadOptions, real: RawTable): KindOverrides {
  if (!options.metadata) return options;
  const { value, file } = options.metadata;
  checkMetadataColumns(
    value,
    real.columns.map((c) => c.name),
    file,
  );
  const declared = (kinds: readonly string[]) =>
    [...value.columns].filter(([, c]) => c.kind && kinds.includes(c.kind)).map(([name]) => name);
  const merge = (flags: readonly string[] | undefined, more: string[]) => [...new Set([...(flags ?? []), ...more])];
  return {
    discrete: merge(options.discrete, declared(['categorical', 'boolean'])),
    continuous: merge(options.continuous, declared(['numeric', 'integer'])),
  };
}
