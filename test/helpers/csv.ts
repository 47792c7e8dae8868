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
