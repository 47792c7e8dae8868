/** generate only: the training run, its loss curve and the early-stop checkpoints, the kept one marked and the rule that chose it stated. */
import type { EarlyStopRecord, TrainingRecord } from '../../../pipeline/report.js';
import { KEPT_RULE, PLATEAU_RULE } from '../../../optimizer/early-stop.js';
import { RESTART_RULE } from '../../../models/nn/train/restart.js';
import { keptIndex, lastIndex } from '../checkpoint-rule.js';
import { lossSpec } from '../evidence-specs.js';
import { badge, escape, figure, num, table } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { Section } from './section.js';

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
    const stopAction = g.early_stop?.actions?.find((a) => a.action === 'stop');
    const ending = t.stopped
      ? 'stopped by the user'
      : stopAction
        ? `stopped at epoch ${stopAction.epoch}: ${stopAction.reason}`
        : t.early_stopped
          ? 'stopped early at a green checkpoint'
          : 'ran every epoch';
    const checkpoints = g.early_stop?.checkpoints ?? [];
    const kept = keptIndex(checkpoints, t.kept_epoch, t.epochs_done);
    const parts = [
      loaded,
      `<p>${num(t.epochs_done)} of ${num(t.epochs)} epochs (${escape(ending)}), ${num(t.steps_done)} steps${t.seconds === null ? '' : ` in ${num(t.seconds, 1)} s, ${num(t.samples_per_second, 0)} rows/s`} on ${num(t.threads)} thread(s).${keptSentence(t, g.early_stop, kept)}</p>`,
    ];
    if (t.epoch_loss.length)
      parts.push(
        figure(
          await renderSvg(lossSpec(t.epoch_loss, checkpoints, kept >= 0 ? checkpoints[kept].epoch : null)),
          'Training loss by epoch',
          'class="loss"',
        ),
      );
    if (g.early_stop) parts.push(checkpointTable(g.early_stop, kept));
    const actions = g.early_stop?.actions ?? [];
    if (actions.length)
      parts.push(
        `<h3>Adjustments during training</h3><p>${escape(PLATEAU_RULE)} ${escape(RESTART_RULE)}</p>\n${table(
          ['epoch', 'action', 'learning rate (x configured)', 'why'],
          actions.map((a) => [
            num(a.epoch),
            escape(a.action),
            a.lr_scale === null ? '-' : num(a.lr_scale, 3),
            escape(a.reason),
          ]),
        )}`,
      );
    return parts.join('\n');
  },
};

/** Which weights the model kept and, when it was an earlier checkpoint, the rule and the facts that decided. */
function keptSentence(t: TrainingRecord, early: EarlyStopRecord | null, kept: number): string {
  const checkpoints = early?.checkpoints ?? [];
  if (t.kept_epoch === null || kept < 0) {
    if (!checkpoints.length || kept < 0) return '';
    const epoch = num(checkpoints[kept].epoch);
    if (checkpoints[kept].stop)
      return ` Training stopped at the epoch ${epoch} checkpoint: green, and no better than the best earlier green one by 5 %; the model kept those weights.`;
    return ` The model kept the weights training ended with (epoch ${epoch}): no earlier checkpoint beat them. ${escape(KEPT_RULE)}`;
  }
  const last = lastIndex(checkpoints);
  const reason = early?.kept_reason ?? null;
  return ` The model kept the weights of the epoch ${num(t.kept_epoch)} checkpoint, not the last weights${last >= 0 ? ` (epoch ${num(checkpoints[last].epoch)})` : ''}${reason ? `: ${escape(reason)}` : ''}. ${escape(KEPT_RULE)}`;
}

function checkpointTable(e: EarlyStopRecord, kept: number) {
  const intro = `<h3>Early-stop checkpoints</h3><p>Every ${num(e.every_epochs)} epochs on ${num(e.sample_rows)} sampled rows; ${e.stopped_at_epoch === null ? 'training did not stop early' : `stopped at epoch ${num(e.stopped_at_epoch)}`}. The score sums each check's value relative to its threshold: lower is better.${kept >= 0 ? ' The highlighted row is the checkpoint whose weights the model kept.' : ''}</p>`;
  const metricIds = [...new Set(e.checkpoints.flatMap((c) => Object.keys(c.metrics)))];
  const rows = e.checkpoints.map((c, k) => [
    num(c.epoch),
    ...metricIds.map((id) => num(c.metrics[id], 3)),
    c.all_green ? badge('pass', 'green') : badge('fail', 'not green'),
    num(c.failing),
    num(c.score, 4),
    [
      c.stop ? 'stopped training' : c.last ? 'last weights' : '',
      k === kept ? '<strong class="kept-mark">★ kept</strong>' : '',
    ]
      .filter(Boolean)
      .join(' · '),
    num(c.seconds, 2),
  ]);
  if (!rows.length) return intro;
  const head = ['epoch', ...metricIds.map(escape), 'verdict', 'failing checks', 'score', 'role', 'seconds'];
  return (
    intro +
    table(
      head,
      rows,
      'compact checkpoints',
      rows.map((_, k) => (k === kept ? 'kept' : '')),
    )
  );
}
