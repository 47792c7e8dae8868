/** Reads a CSV file or stream into a RawTable (UTF-8, with or without BOM); Parquet and Arrow files by extension. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { CsvScanner } from './csv-scanner.js';
import { TextSniffer } from './text-sniffer.js';
import { RawTableBuilder, type RawTable } from './raw-table.js';
import { inputError } from '../errors.js';

export interface TableSource {
  /** The name used in messages: a path, or "stdin". */
  readonly name: string;
  readonly stream: AsyncIterable<Buffer | string>;
}

export interface ReadResult {
  readonly table: RawTable;
  /** sha256 of the bytes read, so a report can say which input it describes. */
  readonly sha256: string;
  readonly bytes: number;
}

/** A table file by its extension: .parquet, .arrow/.feather/.ipc, anything else as CSV. */
export async function readTableFile(path: string): Promise<ReadResult> {
  // The columnar readers load apache-arrow and hyparquet, so only when a file needs them.
  if (/\.parquet$/i.test(path)) return (await import('./read-columnar.js')).readParquetFile(path);
  if (/\.(arrow|feather|ipc)$/i.test(path)) return (await import('./read-columnar.js')).readArrowFile(path);
  return readCsvFile(path);
}

export async function readCsvFile(path: string): Promise<ReadResult> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw inputError(`${path} is a directory, not a CSV file`, 'Give the path of a CSV file.');
  } catch (error) {
    throw asInputError(error, path);
  }
  return readCsv({ name: path, stream: createReadStream(path, { highWaterMark: 1 << 20 }) });
}

export async function readCsv(source: TableSource): Promise<ReadResult> {
  const builder = new RawTableBuilder(source.name);
  const scanner = new CsvScanner(source.name, builder.add);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const sniffer = new TextSniffer(source.name);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of source.stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buffer);
      bytes += buffer.length;
      for (const text of sniffer.push(buffer)) scanner.push(decoder.decode(text, { stream: true }));
    }
    for (const text of sniffer.end()) scanner.push(decoder.decode(text, { stream: true }));
    scanner.push(decoder.decode());
  } catch (error) {
    throw asInputError(error, source.name);
  }
  scanner.end();
  return { table: builder.build(), sha256: hash.digest('hex'), bytes };
}

/** A file-system or decoding error as the input error users see (exit 3), or the error itself. */
export function asInputError(error: unknown, name: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return inputError(`${name}: no such file`, 'Check the path; use - to read from standard input.');
  if (code === 'EACCES')
    return inputError(`${name}: permission denied`, 'Make the file readable or copy it somewhere you can read.');
  if (code === 'EISDIR') return inputError(`${name} is a directory, not a CSV file`, 'Give the path of a CSV file.');
  if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return inputError(
      `${name} is not valid UTF-8`,
      'Convert it from its encoding first, e.g. iconv -f latin1 -t utf-8 FILE > FILE.utf8.csv (file -i FILE may name the encoding)',
    );
  }
  return error as Error;
}
