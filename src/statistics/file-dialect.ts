/**
 * A CSV file's dialect for DuckDB, sniffed by gesalp's own sniffer (core/io/dialect-sniffer.ts) on
 * the same head of the file the in-memory reader sniffs (its first 1 MiB), so that DuckDB reads the
 * same cells and the split's row hash sees what `splitRows` sees. DuckDB is told the delimiter and
 * the quote (quotes doubled inside a field, RFC 4180) instead of sniffing them itself. Refused, as
 * usage errors, where DuckDB's text would differ from the in-memory reader's: a decimal comma
 * (gesalp rewrites 1,5 as 1.5 before hashing) and Latin-1 (Windows-1252, which DuckDB does not decode).
 */
import { open } from 'node:fs/promises';
import { usageError } from '../core/errors.js';
import { asInputError } from '../core/io/read-table.js';
import { workbookError, workbookFormat } from '../core/io/workbook-signature.js';
import type { Dialect, DialectRequest } from '../core/io/dialect.js';
import { sniffDialect } from '../core/io/dialect-sniffer.js';

/** The in-memory reader's first chunk (read-table.ts reads the file 1 MiB at a time and sniffs the first). */
const HEAD_BYTES = 1 << 20;

/** `headerOnly`: under DP, the header alone is read for it (SPEC section 8). */
export async function sniffFileDialect(
  path: string,
  request: DialectRequest = {},
  headerOnly = false,
): Promise<Dialect> {
  if ((request.encoding ?? 'utf-8') !== 'utf-8')
    throw usageError(
      `the out-of-core engine reads UTF-8 only; ${path} is read as ${request.encoding}`,
      'Convert the file to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8), or read it with the in-memory engine.',
    );
  const file = await open(path, 'r').catch((error: unknown) => {
    throw asInputError(error, path);
  });
  let head: string;
  let complete: boolean;
  let bom: boolean;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    complete = bytesRead < HEAD_BYTES || (await file.stat()).size === bytesRead;
    bom = bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
    // A workbook is named for what it is, as the in-memory reader names it (DuckDB would read no rows).
    const workbook = workbookFormat(buffer.subarray(0, Math.min(bytesRead, 4096)), path);
    if (workbook) throw workbookError(path, workbook);
    // The decoder drops a byte order mark.
    head = new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead), { stream: !complete });
  } finally {
    await file.close();
  }
  const sniffed = sniffDialect({ name: path, head, complete, headerOnly }, request);
  if (sniffed.decimal === ',')
    throw usageError(
      request.decimal === ','
        ? `the out-of-core engine does not read numbers with a decimal comma as the in-memory reader does`
        : `${path}: its numbers are written with a decimal comma (1,5), which the out-of-core engine does not read as the in-memory reader does`,
      'Write the numbers with a decimal point, or read the file with the in-memory engine.',
    );
  return { ...sniffed, encoding: 'utf-8', bom };
}
