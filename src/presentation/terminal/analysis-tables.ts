/** The failures and the suggested changes of an analysis, as terminal tables. */
import Table from 'cli-table3';
import { formatNumber } from '../../core/text/format.js';
import type { Failure } from '../../optimizer/failures.js';
import type { Change } from '../../optimizer/rule.js';

const compact = { head: [], border: [], compact: true };

export function renderFailures(rows: readonly Failure[]): string {
  const table = new Table({ head: ['failure', 'metric', 'value', 'threshold', 'x threshold'], style: compact });
  for (const r of rows)
    table.push([r.type, r.metric, formatNumber(r.value, 4), formatNumber(r.threshold, 4), `${r.ratio.toFixed(1)}x`]);
  return table.toString();
}

export function renderChanges(rows: readonly Change[]): string {
  const table = new Table({
    head: ['parameter', 'from', 'to', 'rule', 'why'],
    style: compact,
    colWidths: [null, null, null, null, 60],
    wordWrap: true,
  });
  for (const r of rows) table.push([r.param, show(r.from), show(r.to), r.rule, r.reason]);
  return table.toString();
}

const show = (v: number | string | null): string => (v === null ? '-' : typeof v === 'number' ? formatNumber(v, 6) : v);
