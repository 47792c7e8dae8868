/**
 * Re-codes a table's categorical columns onto another table's level lists, so codes compare
 * (a loaded model's levels are its own). Unseen labels are appended to the shared list.
 */
import type { Column, Table } from './table.js';

export function alignLevels(table: Table, reference: Table): Table {
  const columns = table.columns.map((column, i): Column => {
    const target = reference.columns[i];
    if (column.kind !== 'categorical' || target?.kind !== 'categorical' || column.levels === target.levels)
      return column;
    const index = new Map(target.levels.map((level, code) => [level, code]));
    const mapping = column.levels.map((level) => {
      let code = index.get(level);
      if (code === undefined) {
        code = target.levels.length;
        target.levels.push(level);
        index.set(level, code);
      }
      return code;
    });
    return { ...column, codes: column.codes.map((c) => (c < 0 ? -1 : mapping[c])), levels: target.levels };
  });
  return { rowCount: table.rowCount, columns };
}
