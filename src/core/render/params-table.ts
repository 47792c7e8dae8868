/** The table of parameters a run uses, printed before training. */
import Table from 'cli-table3';
import { formatNumber } from './format.js';

export interface ParamRow {
  readonly name: string;
  readonly value: number;
  readonly source: string;
}

export function renderParams(rows: readonly ParamRow[]): string {
  const table = new Table({ head: ['parameter', 'value', 'from'], style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push([row.name, formatNumber(row.value, 6), row.source]);
  return table.toString();
}
