/**
 * Column by column, how close each shape is: the chart SDMetrics users expect (1 - KS or 1 - TVD,
 * worst first, the threshold marked) and the terminal's "Worst columns" table beside it. The
 * columns section opens with it.
 */
import { shortLabels, withLabelTitles } from '../axis-labels.js';
import { columnScores, type ColumnScore } from '../column-scores.js';
import { columnShapesSpec } from '../column-shapes-spec.js';
import { escape, figure, num, table } from '../markup.js';
import { renderSvg } from '../vega-svg.js';
import type { EvaluationReport } from '../../../metrics/evaluation-report.js';

/** Bars drawn, worst first: past it the chart would be a wall. */
export const SHAPE_BARS = 40;
/** Rows of the worst-columns table, as in the terminal. */
export const WORST_COLUMNS = 8;

/** The chart and the table, or null when no column was measured. */
export async function columnShapes(evaluation: EvaluationReport): Promise<string | null> {
  const scores = columnScores(evaluation);
  if (!scores.length) return null;
  const drawn = scores.slice(0, SHAPE_BARS);
  const labels = shortLabels(drawn.map((s) => s.column));
  const names = drawn.map((s) => s.column);
  const svg = withLabelTitles(await renderSvg(columnShapesSpec(drawn, labels)), labels, names);
  const more = scores.length > drawn.length ? ` The ${drawn.length} lowest of ${scores.length} columns are drawn.` : '';
  const intro = `<p>Each bar is a column's shape score, red when its KS or TVD is above the threshold of the check on the mean (ks_mean, tvd_mean); the black tick marks 1 − that threshold. The check judges the average, not each column.${more}</p>`;
  return `<h3>Column shapes</h3>\n${intro}\n<div class="grid">\n${figure(svg, 'Column shapes, worst first', 'class="column-shapes"')}\n${worstTable(scores)}\n</div>`;
}

function worstTable(scores: readonly ColumnScore[]): string {
  const rows = scores
    .slice(0, WORST_COLUMNS)
    .map((s) => [escape(s.column), s.statistic, num(s.value), `${num(s.score * 100, 1)}%`]);
  return `<div class="worst-columns"><h4>Worst columns</h4>${table(['column', 'statistic', 'value', 'shape score'], rows, 'compact')}</div>`;
}
