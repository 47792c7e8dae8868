/** Writes a Table as RFC 4180 CSV: header, quoted fields where needed, missing as an empty field. */
import { isNumeric, type Column, type Table } from '../table.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Seconds since the epoch as ISO 8601: a date alone when every value falls on midnight UTC. */
function dateFormatter(values: Float64Array): (seconds: number) => string {
  const dateOnly = values.every((v) => Number.isNaN(v) || v % 86400 === 0);
  return (seconds) => {
    const iso = new Date(seconds * 1000).toISOString();
    return dateOnly ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  };
}

function cellFormatter(column: Column): (row: number) => string {
  if (!isNumeric(column)) return (row) => (column.codes[row] < 0 ? '' : quoteField(column.levels[column.codes[row]]));
  const format = column.kind === 'datetime' ? dateFormatter(column.values) : String;
  return (row) => (Number.isNaN(column.values[row]) ? '' : format(column.values[row]));
}

export function tableToCsv(table: Table): string {
  const formatters = table.columns.map(cellFormatter);
  const lines = [table.columns.map((c) => quoteField(c.name)).join(',')];
  for (let row = 0; row < table.rowCount; row++) lines.push(formatters.map((f) => f(row)).join(','));
  return `${lines.join('\n')}\n`;
}
