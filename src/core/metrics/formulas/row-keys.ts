import { isNumeric, type Table } from '../../table.js';

/**
 * One string key per row, equal exactly when the rows are equal in every column: numbers as
 * numbers (String(1) === String(1.0)), categories by shared code, missing equal to missing.
 */
export function rowKeys(table: Table): string[] {
  const keys = new Array<string>(table.rowCount).fill('');
  for (const column of table.columns) {
    if (isNumeric(column)) {
      for (let i = 0; i < keys.length; i++) keys[i] += (Number.isNaN(column.values[i]) ? '' : String(column.values[i])) + '\u0001';
    } else {
      for (let i = 0; i < keys.length; i++) keys[i] += column.codes[i] + '\u0001';
    }
  }
  return keys;
}
