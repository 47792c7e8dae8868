/** generate only: the parameters and the rule behind each, and the optimizer's attempts (the training: training.ts). */
import type { TopLevelSpec } from 'vega-lite';
import { frontSpec } from '../front-spec.js';
import { badge, escape, num, table } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { Section } from './section.js';

export const parametersSection: Section = {
  id: 'parameters',
  title: 'Parameters',
  render({ generation: g }) {
    if (!g) return null;
    const rows = g.parameters.map((p) => [`<code>${escape(p.name)}</code>`, num(p.value, 6), escape(p.source)]);
    return `<p>Method <code>${escape(g.method)}</code> (${escape(g.method_reason)}).</p>\n${table(['parameter', 'value', 'rule behind the value'], rows)}`;
  },
};

export const attemptsSection: Section = {
  id: 'attempts',
  title: 'Attempts',
  async render({ generation: g }) {
    if (!g) return null;
    const o = g.optimizer;
    const search = o.search ? ` by the ${o.search === 'bayes' ? 'Bayesian search' : 'rules'}` : '';
    const budget = o.time_budget_s === null ? '' : `, a time budget of ${num(o.time_budget_s)} s`;
    const repeat = o.repeatable
      ? ''
      : ` Not repeatable: ${escape(o.repeatable_note ?? 'the time budget cut the run: the same seed may give other attempts')}.`;
    const keptBy = o.kept_by ? ` Kept by ${escape(o.kept_by)}.` : '';
    const head = `<p>Mode ${escape(o.mode)}${search}${budget}, ${num(g.attempts.length)} of at most ${num(o.max_attempts)} attempts (${escape(o.ending)}); attempt ${num(o.kept_attempt)} kept.${keptBy}${repeat}</p>`;
    const spec = frontSpec(g.attempts);
    const plot = spec ? `\n<figure>${await renderSvg(spec as TopLevelSpec)}</figure>` : '';
    // The parameters that differ between attempts (a grid's axes, the optimizer's levers).
    const varying = [...new Set(g.attempts.flatMap((a) => Object.keys(a.parameters)))].filter(
      (name) => new Set(g.attempts.map((a) => a.parameters[name])).size > 1,
    );
    const methods = new Set(g.attempts.map((a) => a.method)).size > 1;
    const rows = g.attempts.map((a) => [
      `${num(a.attempt)}${a.kept ? ' (kept)' : ''}`,
      [
        ...(methods ? [`<code>method</code> ${escape(a.method)}`] : []),
        ...varying
          .filter((name) => name in a.parameters)
          .map((name) => `<code>${escape(name)}</code> ${num(a.parameters[name], 6)}`),
      ].join('<br>'),
      a.changes.length
        ? a.changes
            .map(
              (c) =>
                `<code>${escape(c.param)}</code> ${escape(String(c.from ?? '-'))} → ${escape(String(c.to))} <small>(${escape(c.rule)})</small>`,
            )
            .join('<br>')
        : o.mode === 'grid'
          ? 'grid point'
          : 'starting parameters',
      escape(a.pruned ? `${a.proposal}; ${a.pruned.reason}` : a.proposal),
      a.pruned
        ? badge('fail', `pruned at epoch ${a.pruned.at_epoch}`)
        : a.all_green
          ? badge('pass', 'all green')
          : badge('fail', `fails ${a.violations.map((v) => v.metric).join(', ')}`),
      a.quality === null ? '-' : num(a.quality, 1),
      a.pareto_front === null ? '-' : a.pareto_front ? 'front' : '',
      a.diagnoses.length
        ? a.diagnoses.map((d) => `<b>${escape(d.rule)}</b> (${escape(d.severity)}): ${escape(d.cause)}`).join('<br>')
        : '',
      `${num(a.epochs_done)}${a.early_stopped_at === null ? '' : ` (early stop at ${num(a.early_stopped_at)})`}`,
      a.train_seconds === null ? '-' : `${num(a.train_seconds, 1)} s`,
    ]);
    const columns = [
      'attempt',
      'parameters that vary',
      'changes (rule)',
      'proposed by',
      'verdict',
      'quality',
      'pareto',
    ];
    return `${head}${plot}\n${table([...columns, 'diagnosis', 'epochs', 'training'], rows)}`;
  },
};
