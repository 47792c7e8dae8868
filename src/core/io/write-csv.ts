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
}

/** Seconds since the epoch as ISO 8601: a date alone when every value falls on midnight UTC. */
function dateFormatter(values: Float64Array): (seconds: number) => string {
  const dateOnly = values.every((v) => Number.isNaN(v) || v % 86400 === 0);
  return (seconds) => {
    const iso = new Date(seconds * 1000).toISOString();
    // Up to the T, not 10 characters: years outside 0-9999 are written with six digits and a sign.
    return dateOnly ? iso.slice(0, iso.indexOf('T')) : iso.replace('.000Z', 'Z');
  };
}

/** A cell's text before quoting; null for a missing value. */
function cellText(column: Column): (row: number) => string | null {
  if (!isNumeric(column)) return (row) => (column.codes[row] < 0 ? null : column.levels[column.codes[row]]);
  const format = column.kind === 'datetime' ? dateFormatter(column.values) : String;
  return (row) => (Number.isNaN(column.values[row]) ? null : format(column.values[row]));
}

export function tableToCsv(table: Table, options: CsvOptions = {}): string {
  const field = (text: string) => quoteField(options.excelSafe ? excelSafeText(text) : text);
  const cells = table.columns.map((column) => {
    const text = cellText(column);
    // A plain number needs neither quotes nor a prefix.
    const plain = column.kind === 'numeric';
    return (row: number) => {
      const value = text(row);
      return value === null ? '' : plain ? value : field(value);
    };
  });
  const lines = [table.columns.map((c) => field(c.name)).join(',')];
  for (let row = 0; row < table.rowCount; row++) lines.push(cells.map((cell) => cell(row)).join(','));
  return `${lines.join('\n')}\n`;
}

/** How many cells (column names included) a spreadsheet would read as formulas, so a command can warn. */
export function countFormulaCells(table: Table): number {
  let count = table.columns.filter((c) => isFormulaLike(c.name)).length;
  for (const column of table.columns) {
    if (isCategorical(column)) {
      const risky = column.levels.map(isFormulaLike);
      if (!risky.includes(true)) continue;
      for (const code of column.codes) if (code >= 0 && risky[code]) count++;
    } else if (column.kind === 'datetime') {
      // Plain numbers never are; an ISO date is only for a year before 0 ("-000001-01-01").
      const text = cellText(column);
      for (let row = 0; row < table.rowCount; row++) {
        const value = text(row);
        if (value !== null && isFormulaLike(value)) count++;
      }
    }
  }
  return count;
}
