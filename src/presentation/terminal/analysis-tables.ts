/** The failures and the suggested changes of an analysis, as terminal tables. */
import Table from 'cli-table3';
import { formatNumber } from '../../core/text/format.js';
import type { Check } from '../../metrics/checks.js';
import type { Failure } from '../../optimizer/failures.js';
import type { Change } from '../../optimizer/rule.js';

const compact = { head: [], border: [], compact: true };

/**
 * Every failing check: the typed failures, and checks the optimizer has no failure type for (a
 * model's sample_spread) with "-" as their type. Messages stay out: a long one would widen the table.
 */
export function renderFailures(failures: readonly Failure[], failing: readonly Check[]): string {
  const table = new Table({ head: ['failure', 'metric', 'value', 'threshold', 'x threshold'], style: compact });
  for (const r of failures)
    table.push([r.type, r.metric, formatNumber(r.value, 4), formatNumber(r.threshold, 4), `${r.ratio.toFixed(1)}x`]);
  for (const c of failing.filter((c) => !failures.some((f) => f.metric === c.metric))) {
    const ratio = c.value === null ? null : c.op === '<=' ? c.value / c.threshold : c.threshold / c.value;
    table.push(['-', c.metric, formatNumber(c.value, 4), formatNumber(c.threshold, 4), times(ratio)]);
  }
  return table.toString();
}

const times = (ratio: number | null): string =>
  ratio === null || !Number.isFinite(ratio) ? '-' : `${ratio.toFixed(1)}x`;

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
