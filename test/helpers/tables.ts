import type { CategoricalColumn, NumericColumn, Table } from '../../src/core/table.js';

export const numeric = (name: string, values: number[] | Float64Array): NumericColumn => ({
  name,
  kind: 'numeric',
  values: Float64Array.from(values),
});
export const categorical = (name: string, codes: number[] | Int32Array, levels: string[]): CategoricalColumn => ({
  name,
  kind: 'categorical',
  codes: Int32Array.from(codes),
  levels,
});
export const table = (...columns: (NumericColumn | CategoricalColumn)[]): Table => ({
  rowCount: columns[0].kind === 'categorical' ? columns[0].codes.length : columns[0].values.length,
  columns,
});
