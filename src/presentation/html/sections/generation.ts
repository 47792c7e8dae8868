/** generate only: the parameters and the rule behind each, and the optimizer's attempts (the training: training.ts). */
import { badge, escape, num, table } from '../markup.js';
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
  render({ generation: g }) {
    if (!g) return null;
    const o = g.optimizer;
    const head = `<p>Mode ${escape(o.mode)}, ${num(g.attempts.length)} of at most ${num(o.max_attempts)} attempts (${escape(o.ending)}); attempt ${num(o.kept_attempt)} kept.</p>`;
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
      a.all_green ? badge('pass', 'all green') : badge('fail', `fails ${a.violations.map((v) => v.metric).join(', ')}`),
      a.diagnoses.length
        ? a.diagnoses.map((d) => `<b>${escape(d.rule)}</b> (${escape(d.severity)}): ${escape(d.cause)}`).join('<br>')
        : '',
      `${num(a.epochs_done)}${a.early_stopped_at === null ? '' : ` (early stop at ${num(a.early_stopped_at)})`}`,
      a.train_seconds === null ? '-' : `${num(a.train_seconds, 1)} s`,
    ]);
    return `${head}\n${table(['attempt', 'parameters that vary', 'changes (rule)', 'verdict', 'diagnosis', 'epochs', 'training'], rows)}`;
  },
};
