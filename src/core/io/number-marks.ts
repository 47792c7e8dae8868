/**
 * How numbers are written. With a decimal comma, a cell such as 1,5 is read as 1.5, so the table
 * equals the one a decimal point would give. Thousands separators are never read: 1.234 is 1.234 or
 * 1234 depending on who wrote it, and a wrong guess is off by a factor of 1000 without a trace. So a
 * column of numbers that holds one (1,234 with a decimal point; 1.234 or 1.234,5 with a decimal
 * comma) is refused, naming the cell; a text column that merely looks so is left alone.
 * Both work on a column's distinct values (its levels), not on every cell.
 */
import { optionError } from '../errors.js';
import { isMissingMarker, isNumberText } from '../schema/values.js';
import type { DecimalMark } from './dialect.js';
import type { RawColumn, RawTable } from './raw-table.js';

/** A cell written with a decimal comma: 1,5 and -0,25 (also 1,5e3); not 1.234,5, not ,5. */
export const DECIMAL_COMMA = /^(\s*[+-]?\d+),(\d+(?:[eE][+-]?\d+)?\s*)$/;
/** With a decimal point: a number with a comma in it (1,5 / 1,234 / 1,234,567.5). */
const COMMA_NUMBER = /^\s*[+-]?\d+(?:,\d+)+(?:\.\d+)?\s*$/;
/** With a decimal comma: a number grouped by points in threes (1.234 / 1.234,5). */
const POINT_GROUPED = /^\s*[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?\s*$/;

/** The table with every decimal-comma value written with a point; values that become equal are merged. */
export function readDecimalCommas(table: RawTable): RawTable {
  return { ...table, columns: table.columns.map(withDecimalPoints) };
}

function withDecimalPoints(column: RawColumn): RawColumn {
  if (!column.levels.some((level) => level.indexOf(',') >= 0)) return column;
  const index = new Map<string, number>();
  const levels: string[] = [];
  const remap = new Int32Array(column.levels.length);
  column.levels.forEach((level, i) => {
    const m = DECIMAL_COMMA.exec(level);
    const value = m ? `${m[1]}.${m[2]}` : level;
    let j = index.get(value);
    if (j === undefined) {
      j = levels.length;
      levels.push(value);
      index.set(value, j);
    }
    remap[i] = j;
  });
  // Levels are in order of first appearance, so without a merge every code keeps its level's index.
  if (levels.length === column.levels.length) return { ...column, levels };
  return { ...column, levels, codes: column.codes.map((c) => (c < 0 ? c : remap[c])) };
}

/**
 * Refuses a column (as read, before decimal commas are rewritten) whose values are all numbers or
 * numbers written with a thousands separator, when at least one is written so. `text` names the
 * columns declared not numeric, which are left alone.
 */
export function checkNumberMarks(table: RawTable, decimal: DecimalMark, text: ReadonlySet<string>): void {
  const separated = decimal === '.' ? COMMA_NUMBER : POINT_GROUPED;
  for (const column of table.columns) {
    if (text.has(column.name)) continue;
    const mark = decimal === '.' ? ',' : '.';
    const i = column.levels.findIndex((level) => level.indexOf(mark) >= 0 && separated.test(level));
    if (i < 0) continue;
    const numeric = (level: string) =>
      isNumberText(level) ||
      isMissingMarker(level) ||
      separated.test(level) ||
      (decimal === ',' && DECIMAL_COMMA.test(level));
    if (!column.levels.every(numeric)) continue;
    const at = `${table.source}: column '${column.name}', data row ${column.codes.indexOf(i) + 1}: '${column.levels[i].trim()}'`;
    const otherwise = `If '${column.name}' is not a number, give {discrete} ${column.name}.`;
    // The fix is the decimal mark, or the column declared categorical: the texts name both as `{name}`.
    const refuse = (message: string, hint: string) => optionError('input', 'decimal', message, hint, ['discrete']);
    if (decimal === '.')
      throw refuse(
        `${at} is a number written with a comma, in a column of numbers (a thousands separator, or a decimal comma?)`,
        `gesalp reads no thousands separators: write 1234, not 1,234. If the comma is the decimal mark, give {decimal} ,. ${otherwise}`,
      );
    throw refuse(
      `${at} has a '.' in a column of numbers read with decimal commas (a thousands separator, or a decimal point?)`,
      `gesalp reads no thousands separators (1.234 could be 1.234 or 1234): write 1234 or 1234,5. If '.' is the decimal mark, give {decimal} . (then 1,5 is not a number). ${otherwise}`,
    );
  }
}
