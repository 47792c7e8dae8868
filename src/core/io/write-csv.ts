/** Writes a Table as RFC 4180 CSV: header, quoted fields where needed, missing as an empty field. */
import { parseFiniteNumber } from '../schema/values.js';
import { isCategorical, isNumeric, type Column, type Table } from '../table.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @ followed by more text,
 * or with a tab or carriage return, as a formula. A number such as -3 or +1.5 is not one.
 */
const FORMULA_START = /^(?:[=+\-@].|[\t\r])/s;

export const isFormulaLike = (text: string): boolean =>
  FORMULA_START.test(text) && parseFiniteNumber(text) === undefined;

/** The cell with a leading single quote when a spreadsheet would read it as a formula (it shows as text). */
export const excelSafeText = (text: string): string => (isFormulaLike(text) ? `'${text}` : text);

export interface CsvOptions {
  /** Prefix formula-like cells (and column names) with a single quote. */
  readonly excelSafe?: boolean;
  /** False: the rows alone, for a file written in chunks after its header (default true). */
  readonly header?: boolean;
  /**
   * Per column, whether a datetime column is written as dates alone; absent: read from this table
   * (every value at midnight UTC). A file written in chunks fixes it from its first chunk.
   */
  readonly dateOnly?: readonly boolean[];
  /** The rows from `start` (default 0) up to `end` (default every row), for a table written a block at a time. */
  readonly start?: number;
  readonly end?: number;
}

const midnight = (seconds: number) => seconds % 86400 === 0;

/** A datetime column whose every value falls on midnight UTC is written as dates. */
const isDateOnly = (column: Column): boolean =>
  column.kind === 'datetime' && column.values.every((v) => Number.isNaN(v) || midnight(v));

/** Per column, whether it is written as dates alone. */
export const dateOnlyColumns = (table: Table): boolean[] => table.columns.map(isDateOnly);

/** Seconds since the epoch as ISO 8601: a date alone in a date-only column (a value off midnight keeps its time). */
function dateFormatter(dateOnly: boolean): (seconds: number) => string {
  return (seconds) => {
    const iso = new Date(seconds * 1000).toISOString();
    // Up to the T, not 10 characters: years outside 0-9999 are written with six digits and a sign.
    return dateOnly && midnight(seconds) ? iso.slice(0, iso.indexOf('T')) : iso.replace('.000Z', 'Z');
  };
}

/** A cell's text before quoting; null for a missing value. */
function cellText(column: Column, dateOnly: boolean): (row: number) => string | null {
  if (!isNumeric(column)) return (row) => (column.codes[row] < 0 ? null : column.levels[column.codes[row]]);
  const format = column.kind === 'datetime' ? dateFormatter(dateOnly) : String;
  return (row) => (Number.isNaN(column.values[row]) ? null : format(column.values[row]));
}

/** The header line (column names), newline included. */
export function csvHeader(table: Table, options: CsvOptions = {}): string {
  return `${table.columns.map((c) => csvField(c.name, options)).join(',')}\n`;
}

/** A text cell (or column name) as written: quoted where needed, prefixed where excel-safe asks. */
const csvField = (text: string, options: CsvOptions): string =>
  quoteField(options.excelSafe ? excelSafeText(text) : text);

export function tableToCsv(table: Table, options: CsvOptions = {}): string {
  const field = (text: string) => csvField(text, options);
  const dateOnly = options.dateOnly ?? dateOnlyColumns(table);
  const cells = table.columns.map((column, j) => {
    const text = cellText(column, dateOnly[j] ?? false);
    // A plain number needs neither quotes nor a prefix.
    const plain = column.kind === 'numeric';
    return (row: number) => {
      const value = text(row);
      return value === null ? '' : plain ? value : field(value);
    };
  });
  const lines: string[] = [];
  const end = Math.min(options.end ?? table.rowCount, table.rowCount);
  for (let row = options.start ?? 0; row < end; row++) lines.push(cells.map((cell) => cell(row)).join(','));
  const rows = lines.length ? `${lines.join('\n')}\n` : '';
  return options.header === false ? rows : csvHeader(table, options) + rows;
}

/** How many cells (column names included, unless `names` is false) a spreadsheet would read as formulas, so a command can warn. */
export function countFormulaCells(table: Table, names = true): number {
  let count = names ? table.columns.filter((c) => isFormulaLike(c.name)).length : 0;
  for (const column of table.columns) {
    if (isCategorical(column)) {
      const risky = column.levels.map(isFormulaLike);
      if (!risky.includes(true)) continue;
      for (const code of column.codes) if (code >= 0 && risky[code]) count++;
    } else if (column.kind === 'datetime') {
      // Plain numbers never are; an ISO date is only for a year before 0 ("-000001-01-01").
      const text = cellText(column, isDateOnly(column));
      for (let row = 0; row < table.rowCount; row++) {
        const value = text(row);
        if (value !== null && isFormulaLike(value)) count++;
      }
    }
  }
  return count;
}
