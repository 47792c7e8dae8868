/**
 * Spreadsheet workbooks by their first bytes, so that one given as a table is named for what it is
 * instead of failing as "a NUL byte". xlsx and ods are ZIP archives (PK\x03\x04), xls an OLE
 * compound file. Reading them would need a dependency; gesalp asks for a CSV or Parquet export.
 */

import { inputError, type GesalpError } from '../errors.js';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (head: Uint8Array, signature: number[]) => signature.every((b, i) => head[i] === b);

/** The workbook format the bytes (or, for a ZIP that does not say, the file name) show; undefined for anything else. */
export function workbookFormat(head: Uint8Array, name: string): string | undefined {
  if (startsWith(head, OLE)) return 'an Excel 97-2003 workbook (.xls)';
  if (!startsWith(head, ZIP)) return undefined;
  // The first entries' names are stored uncompressed: ODS starts with its mimetype, Excel usually with [Content_Types].xml.
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  if (text.includes('application/vnd.oasis.opendocument.spreadsheet') || /\.ods$/i.test(name))
    return 'an OpenDocument spreadsheet (.ods)';
  if (text.includes('[Content_Types].xml') || text.includes('xl/') || /\.xls[xmb]$/i.test(name))
    return 'an Excel workbook (.xlsx)';
  return 'a ZIP archive (a zipped CSV, or a workbook?)';
}

/** The input error (exit 3) for a workbook or archive given as a table, named for what it is. */
export function workbookError(name: string, workbook: string): GesalpError {
  return inputError(
    `${name} is ${workbook}, not a CSV text file`,
    `${workbook.startsWith('a ZIP') ? 'Unzip a zipped CSV first. ' : ''}gesalp reads no workbooks: export it as CSV, or give Parquet (a .parquet file is read by its extension).`,
  );
}
