/** Database values as CSV fields. */
import { excelSafeText, isFormulaLike, quoteField } from '../core/io/write-csv.js';

/** `excelSafe`: prefix text a spreadsheet would run as a formula with a quote. */
export function csvField(value: unknown, excelSafe = false): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : '';
  return quoteField(excelSafe ? excelSafeText(String(value)) : String(value));
}

export const csvLine = (values: readonly unknown[], excelSafe = false): string =>
  `${values.map((v) => csvField(v, excelSafe)).join(',')}\n`;

/** Text cells among `values` that a spreadsheet would run as a formula. */
export const formulaCells = (values: readonly unknown[]): number =>
  values.filter((v) => typeof v === 'string' && isFormulaLike(v)).length;
