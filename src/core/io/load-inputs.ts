/**
 * Reads the real table and the tables compared with it, infers the schema from the real one
 * and encodes them all under it, so categories share codes.
 */
import type { RawTable } from './raw-table.js';
import { readCsv, readTableFile, type ReadResult, type TableSource } from './read-table.js';
import { inferSchema } from '../schema/infer.js';
import { TableEncoder } from '../schema/encode.js';
import type { KindOverrides, Schema } from '../schema/schema.js';
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

export async function loadInputs(inputs: readonly InputSpec[], overrides: KindOverrides): Promise<LoadedInputs> {
  const reads: ReadResult[] = [];
  for (const input of inputs) reads.push(typeof input === 'string' ? await readTableFile(input) : await readCsv(input));
  const raw = reads.map((r) => r.table);
  const schema = inferSchema(raw[0], raw.slice(1), overrides);
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
