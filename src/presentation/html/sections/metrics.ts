/** Every metric of the report (whatever metrics it has), with its threshold and verdict as in the terminal. */
import type { Check } from '../../../metrics/checks.js';
import { badge, escape, num, table } from '../markup.js';
import { checkGoalText, goalText } from '../metric-goals.js';
import type { Section } from './section.js';

/** The verdict word as a badge, its message as text beside it: a long message wraps in its cell. */
function verdictCell(check: Check | undefined, status: string, message?: string): string {
  const said = (text: string | undefined) => (text ? ` <span class="message">${escape(text)}</span>` : '');
  if (!check) return `${badge('muted', status === 'ok' ? 'reported' : status.replace('_', ' '))}${said(message)}`;
  if (check.status === 'pass') return badge('pass', 'pass');
  if (check.status === 'fail') return `${badge('fail', 'FAIL')}${said(check.message)}`;
  if (check.status === 'not_applicable') return `${badge('muted', 'n/a')}${said(check.message)}`;
  return `${badge('fail', 'NOT EVALUATED')}${said(check.message)}`;
}

const metricName = (id: string) => `<code class="metric-name">${escape(id)}</code>`;

export const metricsSection: Section = {
  id: 'metrics',
  title: 'Metrics',
  render({ evaluation }) {
    if (!evaluation) return null;
    const checks = new Map(evaluation.checks.map((c) => [c.metric as string, c]));
    const rows = Object.entries(evaluation.metrics).map(([id, m]) => {
      const check = checks.get(id);
      return [
        metricName(id),
        num(m.value),
        check ? `${escape(check.op)} ${num(check.threshold)}` : '',
        escape(goalText(id, m.goal, m.message)),
        verdictCell(check, m.status, m.message),
      ];
    });
    // Checks beyond the metrics (generate's sample_spread).
    for (const check of evaluation.checks.filter((c) => !(c.metric in evaluation.metrics)))
      rows.push([
        metricName(check.metric),
        num(check.value),
        `${escape(check.op)} ${num(check.threshold)}`,
        escape(checkGoalText(check)),
        verdictCell(check, 'ok'),
      ]);
    return table(['metric', 'value', 'threshold', 'goal', 'verdict'], rows, 'metrics');
  },
};
