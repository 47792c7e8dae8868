/** The privacy evidence: distances to the closest training row, the membership attack's ROC, the copies. */
import { formatCount } from '../../../core/text/format.js';
import { distanceSpec, rocSpec } from '../evidence-specs.js';
import { escape, figure, num, table } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { Section } from './section.js';

export const privacySection: Section = {
  id: 'privacy',
  title: 'Privacy',
  async render({ evaluation }) {
    if (!evaluation) return null;
    const f = evaluation.figures;
    if (!f) return null;
    const m = evaluation.metrics;
    const parts: string[] = [];
    const copies = f.duplicates.count;
    parts.push(
      table(
        ['evidence', 'value'],
        [
          [
            'synthetic rows equal to a training row',
            copies === null
              ? '-'
              : `${num(copies)} of ${num(f.duplicates.synthetic_rows)} (dup_rate ${num(m.dup_rate?.value)})`,
          ],
          ['median distance to the closest training row (dcr_median)', num(m.dcr_median?.value)],
          [
            'share of synthetic rows closer to training than holdout rows (dcr_train_share)',
            `${num(m.dcr_train_share?.value)}${m.dcr_train_share?.message ? ` (${escape(m.dcr_train_share.message)})` : ''}`,
          ],
          ['membership attack AUC (mia_auc)', num(m.mia_auc?.value)],
        ],
      ),
    );
    const figures: string[] = [];
    const d = f.distances_to_train;
    if (d) {
      const caption = `Synthetic rows should sit no closer to the training rows than unseen real rows do. ${formatCount(d.rows.synthetic)} synthetic rows (${formatCount(d.at_zero.synthetic)} at 0)${d.rows.holdout === null ? '; no holdout to compare with' : `, ${formatCount(d.rows.holdout)} holdout rows (${formatCount(d.at_zero.holdout ?? 0)} at 0)`}`;
      figures.push(figure(await renderSvg(distanceSpec(d)), caption, 'class="dcr"'));
    }
    if (f.membership_roc)
      figures.push(
        figure(
          await renderSvg(rocSpec(f.membership_roc)),
          'A row is called a training member when a synthetic row lies within a distance t of it; the curve sweeps t. The diagonal learns nothing.',
          'class="roc"',
        ),
      );
    if (figures.length) parts.push(`<div class="grid">\n${figures.join('\n')}\n</div>`);
    if (!f.membership_roc)
      parts.push('<p>No holdout rows: the membership attack and the holdout distances need --holdout or --split.</p>');
    const sample = evaluation.privacy_sample;
    if (sample?.sampled.length)
      parts.push(
        `<p>Distances use a seeded sample of ${num(sample.cap)} rows for: ${escape(sample.sampled.join(', '))}.</p>`,
      );
    return parts.join('\n');
  },
};
