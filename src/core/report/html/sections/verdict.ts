/** First on the page: all green, or the checks that failed with their values and thresholds. */
import type { Check } from '../../../metrics/checks.js';
import { badge, escape, num } from '../markup.js';
import type { Section } from './section.js';

/** What a check that did not pass says, in words a reader without colour gets too. */
export function checkSentence(check: Check): string {
  if (check.status === 'fail')
    return `${check.metric} = ${num(check.value)}, needs ${escape(check.op)} ${num(check.threshold)}${check.message ? ` (${escape(check.message)})` : ''}`;
  return `${check.metric}: not evaluated${check.message ? ` (${escape(check.message)})` : ''}, needs ${escape(check.op)} ${num(check.threshold)}`;
}

export const verdictSection: Section = {
  id: 'verdict',
  title: 'Verdict',
  render({ evaluation }) {
    const summary = evaluation.all_green
      ? badge('pass', 'ALL GREEN')
      : badge('fail', `NOT ALL GREEN: ${evaluation.violations.map((v) => v.metric).join(', ')}`);
    const passed = evaluation.checks.filter((c) => c.status === 'pass');
    const failing = evaluation.violations.map(
      (c) => `<li>${badge('fail', c.status === 'fail' ? 'FAIL' : 'NOT EVALUATED')} ${checkSentence(c)}</li>`,
    );
    const passing = passed.map(
      (c) => `<li>${badge('pass', 'pass')} ${c.metric} = ${num(c.value)} ${escape(c.op)} ${num(c.threshold)}</li>`,
    );
    return [
      `<p class="verdict">${summary} <span class="compliance">compliance ${num(evaluation.compliance_score)}%</span></p>`,
      `<ul class="checks">${[...failing, ...passing].join('')}</ul>`,
    ].join('\n');
  },
};
