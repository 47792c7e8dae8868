/** Every metric of the report (whatever metrics it has), with its threshold and verdict as in the terminal. */
import type { Check } from '../../../metrics/checks.js';
import { badge, escape, num, table } from '../markup.js';
import type { Section } from './section.js';

function verdictCell(check: Check | undefined, status: string, message?: string): string {
  if (!check)
    return badge('muted', status === 'ok' ? `reported${message ? ` (${message})` : ''}` : (message ?? status));
  if (check.status === 'pass') return badge('pass', 'pass');
  if (check.status === 'fail') return badge('fail', `FAIL${check.message ? `: ${check.message}` : ''}`);
  if (check.status === 'not_applicable') return badge('muted', `n/a: ${check.message ?? ''}`);
  return badge('fail', `NOT EVALUATED: ${check.message ?? ''}`);
}

export const metricsSection: Section = {
  id: 'metrics',
  title: 'Metrics',
  render({ evaluation }) {
    if (!evaluation) return null;
    const checks = new Map(evaluation.checks.map((c) => [c.metric as string, c]));
    const rows = Object.entries(evaluation.metrics).map(([id, m]) => {
      const check = checks.get(id);
      return [
        `<code>${escape(id)}</code>`,
        num(m.value),
        check ? `${escape(check.op)} ${num(check.threshold)}` : '',
        escape(m.goal),
        verdictCell(check, m.status, m.message),
      ];
    });
    // Checks beyond the metrics (generate's sample_spread).
    for (const check of evaluation.checks.filter((c) => !(c.metric in evaluation.metrics)))
      rows.push([
        `<code>${escape(check.metric)}</code>`,
        num(check.value),
        `${escape(check.op)} ${num(check.threshold)}`,
        '',
        verdictCell(check, 'ok'),
      ]);
    return table(['metric', 'value', 'threshold', 'goal', 'verdict'], rows, 'metrics');
  },
};
