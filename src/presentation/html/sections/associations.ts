/** Association heatmaps (real, synthetic, their difference), the pairs that add most to corr_delta, and those pairs drawn. */
import type { AssociationFigures } from '../../../metrics/figures/associations.js';
import type { PairDensity } from '../../../metrics/figures/pair-densities.js';
import { shortLabels, withLabelTitles } from '../axis-labels.js';
import { heatmapSpec } from '../heatmap-spec.js';
import { escape, figure, num, table } from '../markup.js';
import { pairDensitySpec } from '../pair-specs.js';
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
    const legend =
      "<p>Pearson r for two numeric columns, Cramér's V for two categorical ones, the correlation ratio η for one of each (the associations corr_delta compares). Long column names are cut; hover over a label for the full name.</p>";
    return [
      `<p>${escape(scope)}</p>`,
      legend,
      `<div class="grid">\n${(await heatmaps(a)).join('\n')}\n</div>`,
      topPairs(a),
      await pairPlots(a, evaluation.figures?.pair_densities ?? []),
    ].join('\n');
  },
};

async function heatmaps(a: AssociationFigures): Promise<string[]> {
  const labels = shortLabels(a.columns);
  const maps = [
    { matrix: a.real, title: 'Real', subtitle: 'association', difference: false, caption: 'real' },
    { matrix: a.synthetic, title: 'Synthetic', subtitle: 'association', difference: false, caption: 'synthetic' },
    {
      matrix: a.difference,
      title: '|Real − synthetic|',
      subtitle: 'difference (white: none)',
      difference: true,
      caption: 'absolute difference',
    },
  ];
  const figures: string[] = [];
  for (const { matrix, caption, ...options } of maps) {
    const svg = withLabelTitles(await renderSvg(heatmapSpec(labels, matrix, options)), labels, a.columns);
    figures.push(figure(svg, `Associations, ${caption}`, `class="heatmap"`));
  }
  return figures;
}

function topPairs(a: AssociationFigures): string {
  const rows = a.top_pairs.map((p) => [
    `${escape(p.columns[0])} × ${escape(p.columns[1])}`,
    escape(MEASURES[p.measure]),
    num(p.real, 3),
    num(p.synthetic, 3),
    num(p.difference, 3),
    `${num(p.share_of_corr_delta * 100, 1)}%`,
  ]);
  if (!rows.length) return '<p>No pair differs.</p>';
  return `<h3>Pairs that contribute most to corr_delta</h3>\n${table(['pair', 'measure', 'real', 'synthetic', '|difference|', 'share of corr_delta'], rows)}${a.pairs_sampled ? '<p>corr_delta uses a seeded sample of the column pairs on a table this wide; so do these shares.</p>' : ''}`;
}

async function pairPlots(a: AssociationFigures, pairs: readonly PairDensity[]): Promise<string> {
  if (!pairs.length) return '';
  const figures: string[] = [];
  for (const p of pairs) {
    const top = a.top_pairs.find((t) => t.columns[0] === p.columns[0] && t.columns[1] === p.columns[1]);
    const subtitle = top
      ? `${MEASURES[p.measure]}: real ${top.real.toFixed(2)}, synthetic ${top.synthetic.toFixed(2)}`
      : MEASURES[p.measure];
    figures.push(
      figure(
        await renderSvg(pairDensitySpec(p, subtitle)),
        `${p.columns[0]} × ${p.columns[1]}: share of the rows holding both values in each cell, real beside synthetic`,
        `class="pair" data-pair="${escape(p.columns.join(' × '))}"`,
      ),
    );
  }
  return `<h3>The top pairs, real beside synthetic</h3>\n<div class="grid">\n${figures.join('\n')}\n</div>`;
}
