/** generate with a privacy budget: what DP-SGD and the preprocessing spent, and the run's total by sequential composition. */
import { escape, num, table } from '../markup.js';
import { preprocessingCharge, type PrivacyRecord } from '../../../pipeline/privacy-record.js';
import type { Section } from './section.js';

export const differentialPrivacySection: Section = {
  id: 'differential-privacy',
  title: 'Differential privacy',
  render({ generation: g }) {
    const p = g?.privacy;
    if (!p) return null;
    const pre = p.preprocessing;
    const c = p.composition;
    const parts = [
      c
        ? `<p>Total epsilon <b>${num(p.total_epsilon, 4)}</b>, total delta ${escape(p.total_delta.toExponential(2))}, with the DP model this run fine-tuned (epsilon ${num(c.init_from_epsilon, 4)}): this run's epsilon ${num(c.this_run_epsilon, 4)} (the stated limit ${num(p.total_epsilon_limit, 4)}), preprocessing once plus the training of ${num(p.attempts.length)} attempt(s), by basic composition.</p>`
        : `<p>Total epsilon <b>${num(p.total_epsilon, 4)}</b> (the stated limit ${num(p.total_epsilon_limit, 4)}), total delta ${escape(p.total_delta.toExponential(2))}: preprocessing once plus the training of ${num(p.attempts.length)} attempt(s), by sequential composition.</p>`,
      table(
        ['kept attempt’s training', 'value'],
        [
          ['target epsilon', num(p.target_epsilon, 4)],
          ['spent epsilon (accountant)', num(p.spent_epsilon, 4)],
          ['delta', escape(p.delta.toExponential(2))],
          ...(p.zcdp
            ? [
                ['zCDP rho (available)', num(p.zcdp.rho, 4)],
                ['zCDP rho spent', num(p.zcdp.spent_rho, 4)],
                ['delta of the release threshold', escape(p.zcdp.threshold_delta.toExponential(2))],
                ['conversion', escape(p.zcdp.conversion)],
              ]
            : [
                ['noise multiplier', num(p.noise_multiplier, 4)],
                ['sample rate q', num(p.sample_rate, 4)],
                ['steps', num(p.steps)],
                ['max gradient norm C', num(p.max_grad_norm, 4)],
              ]),
          ['most epsilon one attempt may spend', num(p.max_epsilon, 4)],
        ],
      ),
      ...(p.zcdp ? [zcdpTables(p.zcdp)] : []),
      `<h3>Preprocessing</h3><p>Charged: ${escape(preprocessingCharge(p))}; delta ${escape(pre.delta.toExponential(2))}. Declared public: ${pre.public.length ? pre.public.map((c) => `<code>${escape(c)}</code>`).join(', ') : 'none'}. Categories not released decode as <code>${escape(pre.placeholder)}</code>.</p>`,
    ];
    if (pre.estimated.length)
      parts.push(
        table(
          ['column', 'released with', 'epsilon', 'delta'],
          pre.estimated.map((c) => [
            `<code>${escape(c.column)}</code>`,
            escape(c.how),
            num(c.epsilon, 4),
            c.delta === null ? '-' : escape(c.delta.toExponential(2)),
          ]),
          'compact',
        ),
      );
    if (p.attempts.length > 1)
      parts.push(
        table(
          ['attempt', 'target epsilon', 'spent epsilon'],
          p.attempts.map((a) => [num(a.attempt), num(a.target_epsilon, 4), num(a.spent_epsilon, 4)]),
          'compact',
        ),
      );
    parts.push(`<p>Early stop: ${escape(p.early_stop)}. Loss curve: ${escape(p.loss_curve)}.</p>`);
    return parts.join('\n');
  },
};

/** AIM's charges: each stage before the rounds, then each round's selection and measurement. */
function zcdpTables(z: NonNullable<PrivacyRecord['zcdp']>): string {
  return [
    '<h3>zCDP charges</h3>',
    table(
      ['stage', 'rho', 'what'],
      z.stages.map((s) => [escape(s.stage), num(s.rho, 4), escape(s.detail)]),
      'compact',
    ),
    table(
      ['round', 'marginal measured', 'selection rho', 'measurement rho', 'sigma'],
      z.rounds.map((r) => [
        num(r.round),
        escape(r.marginal.join(' x ')),
        num(r.selection_rho, 4),
        num(r.measurement_rho, 4),
        num(r.sigma, 4),
      ]),
      'compact',
    ),
  ].join('\n');
}
