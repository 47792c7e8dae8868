/**
 * Reads the real table and the tables compared with it, infers the schema from the real one
 * and encodes them all under it, so categories share codes.
 */
import type { RawTable } from './raw-table.js';
import { readCsv, readTableFile, type ReadResult, type TableSource } from './read-table.js';
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
}

export interface LoadedInputs {
  readonly schema: Schema;
  readonly tables: Table[];
  readonly files: InputFile[];
  readonly raw: RawTable[];
}

/** A path, or a stream (stdin) standing for "-". */
export type InputSpec = string | TableSource;

export interface LoadOptions extends KindOverrides {
  /** The table's metadata file: its columns are checked against the header, its kinds typed as declared. */
  readonly metadata?: { readonly value: TableMetadata; readonly file: string };
  /** Under DP: no value of the first table may make reading fail (its kinds are released later, not read). */
  readonly lenient?: boolean;
}

export async function loadInputs(inputs: readonly InputSpec[], options: LoadOptions): Promise<LoadedInputs> {
  const reads: ReadResult[] = [];
  for (const input of inputs) reads.push(typeof input === 'string' ? await readTableFile(input) : await readCsv(input));
  const raw = reads.map((r) => r.table);
  const schema = inferSchema(raw[0], raw.slice(1), withDeclaredKinds(options, raw[0]), options.lenient);
  const encoder = new TableEncoder(schema);
  const tables = raw.map((t) => encoder.encode(t));
  const files = reads.map((r) => ({
    path: r.table.source,
    rows: r.table.rowCount,
    columns: r.table.columns.length,
    bytes: r.bytes,
    sha256: r.sha256,
  }));
  return { schema, tables, files, raw };
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
