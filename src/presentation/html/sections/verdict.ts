/** First on the page: the quality score where the report has it, then all green or the checks that failed with their values and thresholds. */
import type { Check } from '../../../metrics/checks.js';
import { badge, escape, num } from '../markup.js';
import { qualityBlock } from '../quality-summary.js';
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
  render({ evaluation, notice, generation }) {
    const banner = notice
      ? `<p class="verdict">${badge('fail', 'NOT COVERED BY THE DP GUARANTEE')} ${escape(notice)}</p>\n`
      : '';
    if (!evaluation)
      return generation?.privacy
        ? '<p>Nothing public judged these rows: under differential privacy only public validation rows may (<code>--public-validation</code>). The metrics against the private rows go, when asked for, to a file of their own outside the guarantee (<code>--private-report</code>). This page shows only what the DP budget covers.</p>'
        : null;
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
    // compliance_score counts checks, which is not the quality score: the label says which.
    return [
      banner + qualityBlock(evaluation),
      `<p class="verdict">${summary} <span class="compliance">checks passed ${num(evaluation.compliance_score)}%</span></p>`,
      `<ul class="checks">${[...failing, ...passing].join('')}</ul>`,
    ].join('\n');
  },
};
