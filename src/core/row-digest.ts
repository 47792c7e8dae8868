/**
 * A digest of each row's content that does not depend on how the columns were typed: the same
 * line of a file gives the same digest whether a column was read as numbers, dates or text
 * ("5", "5.0" and 5 agree; "NA", "?" and an empty cell agree; a date agrees with its seconds).
 * The split keys on it (SPEC section 8), so one row more in the file, or one value that changes a
 * column's kind, moves no other row; and identical rows get one digest, so copies land together.
 */
import { isMissingMarker, isNumberText, parseIsoDate } from './schema/values.js';
import { isNumeric, type Table } from './table.js';

/** A cell's canonical text: missing is '', a number its shortest decimal, a date its seconds since 1970. */
export function canonicalCell(text: string): string {
  if (isMissingMarker(text) || text.trim() === '') return '';
  if (isNumberText(text)) return String(Number(text));
  const seconds = parseIsoDate(text);
  return Number.isNaN(seconds) ? text : String(seconds);
}

const canonicalValue = (value: number): string => (Number.isNaN(value) ? '' : String(value));

/** Between the cells of a row's content: a character no cell of a text table holds. */
export const CELL_SEPARATOR = '\u001f';

/** A row of raw texts as rowContents gives it for the same line read into a table. */
export const textRowContent = (cells: readonly string[]): string => cells.map(canonicalCell).join(CELL_SEPARATOR);

/**
 * A row's content by its index: the canonical cells joined by the unit separator, in column order.
 * One row at a time, so a caller that only hashes the rows never holds a string per row.
 */
export function rowContentOf(table: Table): (row: number) => string {
  const cells = table.columns.map((column) => {
    if (isNumeric(column)) return (row: number) => canonicalValue(column.values[row]);
    const levels = column.levels.map(canonicalCell);
    return (row: number) => (column.codes[row] < 0 ? '' : levels[column.codes[row]]);
  });
  return (row) => cells.map((cell) => cell(row)).join(CELL_SEPARATOR);
}

/** Per row, the canonical cells joined by the unit separator, in column order. */
export function rowContents(table: Table): string[] {
  const content = rowContentOf(table);
  const out = new Array<string>(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) out[row] = content(row);
  return out;
}

/**
 * A 53-bit keyed hash of a text (two 32-bit multiply-xorshift lanes over its UTF-16 units, mixed
 * at the end): uniform enough to draw a coin per row, and fast on a million rows. It is a keyed
 * coin, not a secret: the split it draws is no privacy mechanism (SPEC section 8).
 */
export function keyedHash53(text: string, key: number): number {
  let h1 = 0xdeadbeef ^ key;
  let h2 = 0x41c6ce57 ^ key;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
