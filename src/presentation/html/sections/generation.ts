/** generate only: the parameters and the rule behind each, the training, and the optimizer's attempts. */
import { lossSpec } from '../evidence-specs.js';
import { badge, escape, figure, num, table } from '../markup.js';
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

export const trainingSection: Section = {
  id: 'training',
  title: 'Training',
  async render({ generation: g }) {
    if (!g) return null;
    const t = g.training;
    const loaded = g.model.loaded_from
      ? `<p>No training in this run: the rows were sampled from the model in ${escape(g.model.loaded_from)}${t ? '; its training as saved:' : '.'}</p>`
      : '';
    if (!t) return loaded || '<p>No training record.</p>';
    const ending = t.stopped
      ? 'stopped by the user'
      : t.early_stopped
        ? 'stopped early at a green checkpoint'
        : 'ran every epoch';
    const parts = [
      loaded,
      `<p>${num(t.epochs_done)} of ${num(t.epochs)} epochs (${escape(ending)}), ${num(t.steps_done)} steps${t.seconds === null ? '' : ` in ${num(t.seconds, 1)} s, ${num(t.samples_per_second, 0)} rows/s`} on ${num(t.threads)} thread(s).${t.kept_epoch == null ? '' : ` The model kept the weights of the epoch ${num(t.kept_epoch)} checkpoint, whose sample clearly beat the last weights'.`}</p>`,
    ];
    const checkpoints = g.early_stop?.checkpoints ?? [];
    if (t.epoch_loss.length)
      parts.push(
        figure(await renderSvg(lossSpec(t.epoch_loss, checkpoints)), 'Training loss by epoch', 'class="loss"'),
      );
    if (g.early_stop) {
      const e = g.early_stop;
      parts.push(
        `<h3>Early-stop checkpoints</h3><p>Every ${num(e.every_epochs)} epochs on ${num(e.sample_rows)} sampled rows; ${e.stopped_at_epoch === null ? 'training did not stop early' : `stopped at epoch ${num(e.stopped_at_epoch)}`}.</p>`,
      );
      const metricIds = [...new Set(checkpoints.flatMap((c) => Object.keys(c.metrics)))];
      const rows = checkpoints.map((c) => [
        num(c.epoch),
        ...metricIds.map((id) => num(c.metrics[id], 3)),
        c.all_green ? badge('pass', 'green') : badge('fail', 'not green'),
        num(c.score, 4),
        c.stop ? 'stop' : c.last ? 'last weights' : '',
        num(c.seconds, 2),
      ]);
      if (rows.length)
        parts.push(table(['epoch', ...metricIds.map(escape), 'verdict', 'score', '', 'seconds'], rows, 'compact'));
    }
    return parts.join('\n');
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
      a.all_green ? badge('pass', 'all green') : badge('fail', `fails ${a.violations.join(', ')}`),
      a.diagnoses.length
        ? a.diagnoses.map((d) => `<b>${escape(d.rule)}</b> (${escape(d.severity)}): ${escape(d.cause)}`).join('<br>')
        : '',
      `${num(a.epochs_done)}${a.early_stopped_at === null ? '' : ` (early stop at ${num(a.early_stopped_at)})`}`,
      a.train_seconds === null ? '-' : `${num(a.train_seconds, 1)} s`,
    ]);
    return `${head}\n${table(['attempt', 'parameters that vary', 'changes (rule)', 'verdict', 'diagnosis', 'epochs', 'training'], rows)}`;
  },
};
