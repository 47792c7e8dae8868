/** Database values as CSV fields. */
import { quoteField } from '../../core/io/write-csv.js';

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : '';
  return quoteField(String(value));
}

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\n`;
