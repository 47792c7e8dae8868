/**
 * Re-codes a table's categorical columns onto another table's level lists, so codes compare
 * (a loaded model's levels are its own). Labels the rows use that the reference lacks are appended
 * to the reference's list, which the metrics read as the column's categories; a label no row uses
 * is never carried over (under DP a level list read beside the private file may hold categories
 * that were not released).
 */
import type { Column, Table } from './table.js';

export function alignLevels(table: Table, reference: Table): Table {
  const columns = table.columns.map((column, i): Column => {
    const target = reference.columns[i];
    if (column.kind !== 'categorical' || target?.kind !== 'categorical' || column.levels === target.levels)
      return column;
    const used = new Set(column.codes);
    const index = new Map(target.levels.map((level, code) => [level, code]));
    const mapping = column.levels.map((level, code) => {
      if (!used.has(code)) return -1;
      let to = index.get(level);
      if (to === undefined) {
        to = target.levels.length;
        target.levels.push(level);
        index.set(level, to);
      }
      return to;
    });
    return { ...column, codes: column.codes.map((c) => (c < 0 ? -1 : mapping[c])), levels: target.levels };
  });
  return { rowCount: table.rowCount, columns };
}
