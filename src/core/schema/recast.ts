/**
 * A table re-typed to another schema's kinds, cell by cell, never refusing a cell: under DP the
 * kinds come from declarations or DP releases, and a value that does not fit its column's kind
 * becomes missing (an error naming it would tell that some row holds it). A categorical column
 * keeps its level list when it stays categorical; numbers and dates that become categories take
 * their canonical text.
 */
import { canonicalCell } from '../row-digest.js';
import type { CategoricalColumn, Column, ColumnKind, NumericColumn, Table } from '../table.js';
import { levelCode } from './levels.js';
import { isMissingMarker, parseFiniteNumber, parseIsoDate } from './values.js';

export function recastTable(table: Table, kinds: readonly ColumnKind[]): Table {
  return { rowCount: table.rowCount, columns: table.columns.map((column, i) => recastColumn(column, kinds[i])) };
}

export function recastColumn(column: Column, kind: ColumnKind): Column {
  if (column.kind === kind) return column;
  if (kind === 'categorical') return toCategorical(column as NumericColumn);
  if (column.kind === 'categorical') return fromLevels(column, kind);
  // numeric <-> datetime: seconds and plain numbers do not mean the same thing, so nothing carries over.
  return { name: column.name, kind, values: new Float64Array(column.values.length).fill(NaN) };
}

function fromLevels(column: CategoricalColumn, kind: 'numeric' | 'datetime'): NumericColumn {
  const parse = (level: string): number =>
    isMissingMarker(level) ? NaN : kind === 'datetime' ? parseIsoDate(level) : (parseFiniteNumber(level) ?? NaN);
  const parsed = Float64Array.from(column.levels, parse);
  const values = Float64Array.from(column.codes, (code) => (code < 0 ? NaN : parsed[code]));
  return { name: column.name, kind, values };
}

function toCategorical(column: NumericColumn): CategoricalColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(column.values, (value) => {
    if (Number.isNaN(value)) return -1;
    return levelCode(index, levels, column.kind === 'datetime' ? isoLabel(value) : canonicalCell(String(value)));
  });
  return { name: column.name, kind: 'categorical', codes, levels };
}

const isoLabel = (seconds: number): string => new Date(seconds * 1000).toISOString();
