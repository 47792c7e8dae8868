/** The table of parameters a run uses, printed before training. */
import Table from 'cli-table3';
import { formatNumber } from '../../core/text/format.js';
import type { ResolvedParam } from '../../models/resolve-params.js';

export function renderParams(rows: readonly ResolvedParam[]): string {
  const table = new Table({ head: ['parameter', 'value', 'from'], style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push([row.name, formatNumber(row.value, 6), row.source]);
  return table.toString();
}
