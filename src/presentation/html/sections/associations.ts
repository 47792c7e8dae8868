/** Association heatmaps (real, synthetic, their difference) and the pairs that add most to corr_delta. */
import { heatmapSpec } from '../evidence-specs.js';
import { escape, figure, num, table } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { Section } from './section.js';

const MEASURES = { pearson: 'Pearson r', cramers_v: "Cramér's V", correlation_ratio: 'correlation ratio η' };

export const associationsSection: Section = {
  id: 'associations',
  title: 'Associations between columns',
  async render({ evaluation }) {
    if (!evaluation) return null;
    const a = evaluation.figures?.associations;
    if (!a) return null;
    const scope = a.limited
      ? `The table has ${a.total_columns} columns; the heatmaps show the ${a.columns.length} whose associations differ most (--heatmap-columns).`
      : `All ${a.total_columns} columns.`;
    const maps = [
      heatmapSpec(a.columns, a.real, { title: 'Real', subtitle: 'association', difference: false }),
      heatmapSpec(a.columns, a.synthetic, { title: 'Synthetic', subtitle: 'association', difference: false }),
      heatmapSpec(a.columns, a.difference, { title: '|Real − synthetic|', subtitle: 'difference', difference: true }),
    ];
    const captions = ['real', 'synthetic', 'absolute difference'];
    const figures: string[] = [];
    for (const [k, spec] of maps.entries())
      figures.push(figure(await renderSvg(spec), `Associations, ${captions[k]}`, `class="heatmap"`));
    const rows = a.top_pairs.map((p) => [
      `${escape(p.columns[0])} × ${escape(p.columns[1])}`,
      escape(MEASURES[p.measure]),
      num(p.real, 3),
      num(p.synthetic, 3),
      num(p.difference, 3),
      `${num(p.share_of_corr_delta * 100, 1)}%`,
    ]);
    const pairs = rows.length
      ? `<h3>Pairs that contribute most to corr_delta</h3>\n${table(['pair', 'measure', 'real', 'synthetic', '|difference|', 'share of corr_delta'], rows)}${a.pairs_sampled ? '<p>corr_delta uses a seeded sample of the column pairs on a table this wide; so do these shares.</p>' : ''}`
      : '<p>No pair differs.</p>';
    const legend =
      "<p>Pearson r for two numeric columns, Cramér's V for two categorical ones, the correlation ratio η for one of each (SPEC section 3).</p>";
    return `<p>${escape(scope)}</p>\n${legend}\n<div class="grid">\n${figures.join('\n')}\n</div>\n${pairs}`;
  },
};
