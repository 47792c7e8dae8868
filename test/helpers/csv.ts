import { Readable } from 'node:stream';
import { readCsv } from '../../src/core/io/read-table.js';

/** Reads CSV text, fed in chunks of `chunk` characters to exercise records split across chunks. */
export function readText(text: string | Buffer, chunk = 7) {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) pieces.push(data.subarray(i, i + chunk));
  return readCsv({ name: 'test.csv', stream: Readable.from(pieces) });
}

/** The values of a raw column as strings, '' for missing. */
export const rawValues = (column: { levels: string[]; codes: Int32Array }) =>
  Array.from(column.codes, (c) => (c < 0 ? '' : column.levels[c]));

/** A CSV text read by the real reader: the header and each row's cells as text ('' for missing). */
export async function readCsvText(text: string): Promise<{ header: string[]; rows: string[][] }> {
  const { table } = await readText(text, 1 << 16);
  const columns = table.columns.map(rawValues);
  return {
    header: table.columns.map((c) => c.name),
    rows: Array.from({ length: table.rowCount }, (_, r) => columns.map((c) => c[r])),
  };
}
