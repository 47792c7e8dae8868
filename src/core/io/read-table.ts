/**
 * Reads a CSV file or stream into a RawTable, in its dialect (delimiter, quote, decimal mark: given or
 * sniffed from the first 64 KiB; UTF-8 with or without BOM, or Latin-1 when asked); Parquet and Arrow
 * files by extension.
 */
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { CsvScanner } from './csv-scanner.js';
import type { Dialect, DialectRequest } from './dialect.js';
import { SNIFF_CHARS, sniffDialect } from './dialect-sniffer.js';
import { checkNumberMarks, readDecimalCommas } from './number-marks.js';
import { TextSniffer } from './text-sniffer.js';
import { RawTableBuilder, type RawTable } from './raw-table.js';
import { inputError, optionError } from '../errors.js';

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
  /** How a CSV file was read (undefined for Parquet and Arrow). */
  readonly dialect?: Dialect;
}

export interface CsvOptions {
  /** What the user fixed of the dialect; the rest is sniffed. */
  readonly dialect?: DialectRequest;
  /** Under DP: the dialect from the header and the flags alone, and no refusal that depends on a value (SPEC section 8). */
  readonly headerOnly?: boolean;
  /** Columns declared not numeric: their number-like text is left alone (see number-marks.ts). */
  readonly textColumns?: readonly string[];
}

/** A table file by its extension: .parquet, .arrow/.feather/.ipc, anything else as CSV. */
export async function readTableFile(path: string, options: CsvOptions = {}): Promise<ReadResult> {
  // The columnar readers load apache-arrow and hyparquet, so only when a file needs them.
  if (/\.parquet$/i.test(path)) return (await import('./read-columnar.js')).readParquetFile(path);
  if (/\.(arrow|feather|ipc)$/i.test(path)) return (await import('./read-columnar.js')).readArrowFile(path);
  return readCsvFile(path, options);
}

/** A path that names no readable file (missing, a directory, not readable) as the input error users see (exit 3). */
export async function checkInputFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw inputError(`${path} is a directory, not a CSV file`, 'Give the path of a CSV file.');
    await access(path, constants.R_OK);
  } catch (error) {
    throw asInputError(error, path);
  }
}

export async function readCsvFile(path: string, options: CsvOptions = {}): Promise<ReadResult> {
  await checkInputFile(path);
  return readCsv({ name: path, stream: createReadStream(path, { highWaterMark: 1 << 20 }) }, options);
}

export async function readCsv(source: TableSource, options: CsvOptions = {}): Promise<ReadResult> {
  const request = options.dialect ?? {};
  const encoding = request.encoding ?? 'utf-8';
  // 'latin1' is Windows-1252 to TextDecoder (the WHATWG label), which is what Latin-1 files written on Windows hold.
  // Under DP no byte may refuse the input: invalid UTF-8 becomes U+FFFD, a NUL byte '?'.
  const tolerant = Boolean(options.headerOnly);
  const decoder = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'latin1', { fatal: !tolerant });
  const sniffer = new TextSniffer(source.name, tolerant);
  const hash = createHash('sha256');
  let bytes = 0;
  let head = '';
  let reader: { scanner: CsvScanner; builder: RawTableBuilder; dialect: Dialect } | undefined;
  // The text is held until SNIFF_CHARS of it (or all of it) can show the dialect; then it flows to the scanner.
  const feed = (text: string, final: boolean) => {
    if (!reader) {
      head += text;
      if (head.length < SNIFF_CHARS && !final) return;
      const sniffed = sniffDialect(
        { name: source.name, head, complete: final, headerOnly: options.headerOnly },
        request,
      );
      const dialect: Dialect = { ...sniffed, encoding, bom: encoding === 'utf-8' && sniffer.bom };
      const builder = new RawTableBuilder(source.name, dialect.delimiter, tolerant);
      reader = { scanner: new CsvScanner(source.name, builder.add, dialect, tolerant), builder, dialect };
      [text, head] = [head, ''];
    }
    reader.scanner.push(text);
  };
  try {
    for await (const chunk of source.stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buffer);
      bytes += buffer.length;
      for (const text of sniffer.push(buffer)) feed(decoder.decode(text, { stream: true }), false);
    }
    for (const text of sniffer.end()) feed(decoder.decode(text, { stream: true }), false);
    feed(decoder.decode(), true);
  } catch (error) {
    throw asInputError(error, source.name);
  }
  const { scanner, builder, dialect } = reader!;
  scanner.end();
  const table = builder.build();
  if (!options.headerOnly) checkNumberMarks(table, dialect.decimal, new Set(options.textColumns));
  return {
    table: dialect.decimal === ',' ? readDecimalCommas(table) : table,
    sha256: hash.digest('hex'),
    bytes,
    dialect,
  };
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
    return optionError(
      'input',
      'encoding',
      `${name} is not valid UTF-8 text`,
      'If it was saved as Latin-1 or Windows-1252 (as Excel on Windows does), give {encoding} latin1; otherwise convert it to UTF-8 first, e.g. iconv -f ENCODING -t UTF-8 FILE > FILE.utf8.csv (file -i FILE may name the encoding).',
    );
  }
  return error as Error;
}
