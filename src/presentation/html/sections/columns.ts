/** Every column: real against synthetic, worst first is the terminal's job; here in table order, each with its KS or TVD. */
import { distributionSpec } from '../distribution-specs.js';
import { escape, figure, num } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { Section } from './section.js';

export const columnsSection: Section = {
  id: 'columns',
  title: 'Columns: real against synthetic',
  async render({ evaluation }) {
    if (!evaluation) return null;
    const columns = evaluation.figures?.columns;
    if (!columns?.length) return null;
    const figures: string[] = [];
    for (const d of columns) {
      const caption = `${d.column}: ${d.statistic.toUpperCase()} ${d.value === null ? 'not computed' : d.value.toFixed(3)}`;
      figures.push(
        figure(await renderSvg(distributionSpec(d)), caption, `class="column" data-column="${escape(d.column)}"`),
      );
    }
    const worst = [...columns]
      .filter((d) => d.value !== null)
      .sort((a, b) => b.value! - a.value!)
      .slice(0, 3)
      .map((d) => `${escape(d.column)} (${d.statistic.toUpperCase()} ${num(d.value, 3)})`);
    const leftOut = evaluation.figures?.columns_left_out ?? 0;
    const omitted = leftOut ? ` ${leftOut} more columns, which differ least, are not drawn.` : '';
    const intro = `<p>Bars are shares of each table's rows; numeric and date columns share bin edges between the tables. Largest differences: ${worst.join(', ') || 'none'}.${omitted}</p>`;
    return `${intro}\n<div class="grid">\n${figures.join('\n')}\n</div>`;
  },
};
