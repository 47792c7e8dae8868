/** The column shapes, worst first, then every column real against synthetic in table order, each with its KS or TVD. */
import type { EvaluationReport } from '../../../metrics/evaluation-report.js';
import { distributionSpec } from '../distribution-specs.js';
import { escape, figure } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import { columnShapes } from './column-shapes.js';
import type { Section } from './section.js';

export const columnsSection: Section = {
  id: 'columns',
  title: 'Columns: real against synthetic',
  async render({ evaluation }) {
    if (!evaluation) return null;
    const parts = [await columnShapes(evaluation), await distributions(evaluation)].filter((p) => p !== null);
    return parts.length ? parts.join('\n') : null;
  },
};

async function distributions(evaluation: EvaluationReport): Promise<string | null> {
  const columns = evaluation.figures?.columns;
  if (!columns?.length) return null;
  const figures: string[] = [];
  for (const d of columns) {
    const caption = `${d.column}: ${d.statistic.toUpperCase()} ${d.value === null ? 'not computed' : d.value.toFixed(3)}`;
    figures.push(
      figure(await renderSvg(distributionSpec(d)), caption, `class="column" data-column="${escape(d.column)}"`),
    );
  }
  const leftOut = evaluation.figures?.columns_left_out ?? 0;
  const omitted = leftOut ? ` ${leftOut} more columns, which differ least, are not drawn.` : '';
  const intro = `<p>Bars are shares of each table's rows; numeric and date columns share bin edges between the tables, and a value held by more than 5 % of either table's rows (a point mass, such as exact zeros) has a bar of its own beside the histogram, as missing values do. The ECDF panel shows what KS measures: the black line marks where the two curves are furthest apart, and its length is the KS statistic.${omitted}</p>`;
  return `<h3>Each column</h3>\n${intro}\n<div class="grid">\n${figures.join('\n')}\n</div>`;
}
