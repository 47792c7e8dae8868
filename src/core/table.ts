/** The typed, column-oriented table every metric and model works on. */

export type ColumnKind = 'numeric' | 'datetime' | 'categorical';

/** Numbers (dates as seconds since the epoch); NaN marks a missing value. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'datetime';
  readonly values: Float64Array;
}

/** Category codes into `levels`; -1 marks a missing value. Tables built from one schema share `levels`. */
export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly codes: Int32Array;
  readonly levels: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  readonly rowCount: number;
  readonly columns: Column[];
}

export const isNumeric = (column: Column): column is NumericColumn => column.kind !== 'categorical';
export const isCategorical = (column: Column): column is CategoricalColumn => column.kind === 'categorical';

/** The rows at `indices`, in that order. */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const n = indices.length;
  const columns = table.columns.map((column): Column => {
    if (isNumeric(column)) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[indices[i]];
      return { ...column, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[indices[i]];
    return { ...column, codes };
  });
  return { rowCount: n, columns };
}
