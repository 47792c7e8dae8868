/**
 * Parquet (hyparquet) and Arrow IPC (apache-arrow) files into the same RawTable as CSV, so column
 * kinds are inferred and checked exactly as for CSV: every value becomes its text, null is missing,
 * dates become ISO 8601.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { inputError } from '../errors.js';
import { asInputError, type ReadResult } from './read-table.js';
import { RawTableBuilder } from './raw-table.js';

export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v));
}

function build(
  path: string,
  names: string[],
  rowCount: number,
  cell: (row: number, column: number) => unknown,
): RawTableBuilder {
  const builder = new RawTableBuilder(path);
  builder.add(names, 1);
  const fields = new Array<string>(names.length);
  for (let row = 0; row < rowCount; row++) {
    for (let c = 0; c < names.length; c++) fields[c] = valueText(cell(row, c));
    builder.add(fields, row + 2);
  }
  return builder;
}

async function bytesOf(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw asInputError(error, path);
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function readParquetFile(path: string): Promise<ReadResult> {
  const bytes = await bytesOf(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let names: string[];
  let rows: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(file);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
    rows = (await parquetReadObjects({ file, metadata })) as Record<string, unknown>[];
  } catch (error) {
    throw inputError(
      `${path} is not a readable Parquet file: ${(error as Error).message}`,
      'Check the file, or convert it to CSV.',
    );
  }
  const table = build(path, names, rows.length, (row, c) => rows[row][names[c]]).build();
  return { table, sha256: sha256(bytes), bytes: bytes.length };
}

export async function readArrowFile(path: string): Promise<ReadResult> {
  const bytes = await bytesOf(path);
  let arrow;
  try {
    arrow = tableFromIPC(bytes);
  } catch (error) {
    throw inputError(
      `${path} is not a readable Arrow IPC file: ${(error as Error).message}`,
      'Check the file, or convert it to CSV.',
    );
  }
  const names = arrow.schema.fields.map((f) => f.name);
  const columns = names.map((_, c) => arrow.getChildAt(c)!);
  const table = build(path, names, arrow.numRows, (row, c) => columns[c].get(row)).build();
  return { table, sha256: sha256(bytes), bytes: bytes.length };
}
