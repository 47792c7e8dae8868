/** What a saved model keeps of each training column to shape its sampled rows: name, kind, levels. */
import type { Column, ColumnKind, Table } from '../core/table.js';

export interface ColumnTemplate {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly levels?: string[];
}

export function columnTemplate(column: Column): ColumnTemplate {
  return column.kind === 'categorical'
    ? { name: column.name, kind: column.kind, levels: column.levels }
    : { name: column.name, kind: column.kind };
}

/** An empty table with these columns: what decoders fill. */
export function templateTable(columns: readonly ColumnTemplate[]): Table {
  return {
    rowCount: 0,
    columns: columns.map((c) =>
      c.kind === 'categorical'
        ? { name: c.name, kind: 'categorical', codes: new Int32Array(0), levels: c.levels ?? [] }
        : { name: c.name, kind: c.kind, values: new Float64Array(0) },
    ),
  };
}
