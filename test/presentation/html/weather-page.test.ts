/**
 * Issue 28 items 1-4 on the page of a failing and a passing generate run (test/helpers/weather-report.ts):
 * point masses and ECDFs, the column-shape chart, worst columns and top-pair plots, layout, and
 * the kept checkpoint with the rule that chose it.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { dirname } from 'node:path';
import { renderHtmlReport } from '../../../src/presentation/html/page.js';
import { shortLabels } from '../../../src/presentation/html/axis-labels.js';
import { columnScores } from '../../../src/presentation/html/column-scores.js';
import { expectValidReport } from '../../helpers/report-schema.js';
import {
  failingWeatherReport,
  OUTPUT_PATH,
  passingWeatherReport,
  type WeatherReport,
} from '../../helpers/weather-report.js';

/** The HTML of one <section>. */
const section = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
};
/** The <figure> of a column's distribution. */
const columnFigure = (html: string, column: string): string =>
  html.match(new RegExp(`<figure class="column" data-column="${column}">[\\s\\S]*?</figure>`))![0];
/** The metrics table's row of a metric. */
const metricRow = (html: string, id: string): string =>
  section(html, 'metrics').match(new RegExp(`<tr><td><code class="metric-name">${id}</code>[\\s\\S]*?</tr>`))![0];

let failing: WeatherReport;
let passing: WeatherReport;
beforeAll(async () => {
  [failing, passing] = [await failingWeatherReport(), await passingWeatherReport()];
}, 120000);

describe('item 1: what KS measures', () => {
  it('gives the exact zeros of precipitation a bar of their own beside the histogram', () => {
    const figure = columnFigure(failing.html, 'precipitation');
    expect(figure).toMatch(/class="mark-rect role-mark exact_values_marks"/);
    expect(figure).toMatch(/>= 0<\/text>/);
    // A column without a point mass has no such bars.
    expect(columnFigure(failing.html, 'wind')).not.toMatch(/exact_values_marks/);
  });

  it('draws the two ECDFs of every numeric and date column with the KS gap marked and labelled', () => {
    for (const column of ['precipitation', 'wind', 'date']) {
      const figure = columnFigure(failing.html, column);
      expect(figure).toMatch(/class="mark-line role-mark ecdf_marks"/);
      expect(figure).toMatch(/class="mark-rule role-mark ks_gap_marks"/);
      const ks = failing.evaluation.per_column.ks[column]!;
      expect(figure).toContain(`>KS ${ks.toFixed(3)}</text>`);
    }
    expect(columnFigure(failing.html, 'weather')).not.toMatch(/ecdf_marks/);
  });
});

describe('item 2: column shapes, worst columns, top pairs', () => {
  it('draws one bar per column, worst first, with the threshold marked', () => {
    const html = section(failing.html, 'columns');
    const bars = html.match(/<g class="mark-rect role-mark shape_bars_marks"[\s\S]*?<\/g>/)![0];
    expect(bars.match(/<path /g)).toHaveLength(18);
    const ticks = html.match(/<g class="mark-rect role-mark shape_threshold_marks"[\s\S]*?<\/g>/)![0];
    expect(ticks.match(/<path /g)).toHaveLength(18);
    // Top to bottom, lowest score first.
    const scores = columnScores(failing.evaluation);
    expect(scores.map((s) => s.score)).toEqual([...scores.map((s) => s.score)].sort((a, b) => a - b));
    const drawn = [...bars.matchAll(/aria-label="[^"]*label: ([^;"]*);[^"]*" [^>]*d="M0,([0-9.]+)h/g)];
    expect(drawn.map((m) => m[1])).toEqual(shortLabels(scores.map((s) => s.column)));
    const tops = drawn.map((m) => Number(m[2]));
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
  });

  it("has the terminal's worst columns table: the 8 largest KS or TVD, largest first", () => {
    const html = section(failing.html, 'columns');
    const table = html.match(/<h4>Worst columns<\/h4>[\s\S]*?<\/table>/)![0];
    const rows = [...table.matchAll(/<tr><td>([^<]*)<\/td><td>(KS|TVD)<\/td><td>([^<]*)<\/td>/g)];
    expect(rows).toHaveLength(8);
    const expected = Object.entries({ ...failing.evaluation.per_column.ks, ...failing.evaluation.per_column.tvd })
      .sort((a, b) => b[1]! - a[1]!)
      .slice(0, 8)
      .map(([name]) => name);
    expect(rows.map((r) => r[1])).toEqual(expected);
  });

  it('draws the first top pairs of corr_delta, real beside synthetic', () => {
    const html = section(failing.html, 'associations');
    const pairs = [...html.matchAll(/<figure class="pair" data-pair="([^"]+)">/g)].map((m) => m[1]);
    const top = failing.evaluation.figures!.associations!.top_pairs.slice(0, 3).map((p) => p.columns.join(' × '));
    expect(pairs).toEqual(top);
    expect(html).toContain('The top pairs, real beside synthetic');
  });
});

describe('item 3: layout', () => {
  it('puts a long check message beside its verdict word, not in the badge, and names in code.metric-name', () => {
    const row = metricRow(failing.html, 'sample_spread');
    expect(row).toMatch(/<span class="badge fail">✗ FAIL<\/span> <span class="message">the sampled values of /);
    expect(section(failing.html, 'metrics').match(/<code class="metric-name">/g)!.length).toBeGreaterThanOrEqual(13);
  });

  it('labels the heatmaps with distinct names, each with its full name as a <title>', () => {
    const html = section(failing.html, 'associations');
    const heatmap = html.match(/<figure class="heatmap">[\s\S]*?<\/figure>/)![0];
    const axes = [...heatmap.matchAll(/<g class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/g)].map((m) =>
      [...m[1].matchAll(/<text[^>]*><title>([^<]*)<\/title>([^<]*)<\/text>/g)].map((t) => ({
        full: t[1],
        label: t[2],
      })),
    );
    expect(axes).toHaveLength(2);
    for (const labels of axes) {
      expect(labels).toHaveLength(18);
      expect(new Set(labels.map((l) => l.label)).size).toBe(18);
      expect(labels.map((l) => l.full)).toEqual(failing.evaluation.figures!.associations!.columns);
    }
  });
});

describe('item 4: the kept checkpoint and the words around it', () => {
  it('states the rule that kept an earlier checkpoint, with the facts that decided', () => {
    const training = section(failing.html, 'training');
    expect(training).not.toContain('clearly beat');
    expect(training).toContain('kept the weights of the epoch 160 checkpoint, not the last weights (epoch 200)');
    expect(training).toContain('it failed 1 check, the last weights 2, which decides before the score');
    expect(training).toMatch(/then the one with fewer failing checks wins; only when both tie does the score decide/);
  });

  it('marks the kept row of the checkpoint table and the kept epoch on the loss chart, and every column has a header', () => {
    const training = section(failing.html, 'training');
    expect(training).not.toMatch(/<th><\/th>/);
    expect(training).toMatch(/<tr class="kept"><td>160<\/td>/);
    expect(training.match(/<tr class="kept">/g)).toHaveLength(1);
    expect(training).toMatch(/class="mark-rule role-mark kept_checkpoint_marks"/);
    expect(training).toContain('>kept: epoch 160</text>');
    // Early stopped: the checkpoint training stopped at holds the kept weights.
    const stopped = section(passing.html, 'training');
    expect(stopped).toMatch(/<tr class="kept"><td>120<\/td>[\s\S]*?stopped training · <strong class="kept-mark">/);
    expect(stopped).toContain('>kept: epoch 120</text>');
  });

  it('gives dcr_train_share its ideal as the goal, and sample_spread a goal', () => {
    const ideal = failing.evaluation.metrics.dcr_train_share.message!.match(/ideal ([0-9.]+)/)![1];
    expect(metricRow(failing.html, 'dcr_train_share')).toContain(`<td>near its ideal ${ideal}</td>`);
    expect(metricRow(failing.html, 'sample_spread')).toContain('<td>lower is better</td>');
    const goals = [
      ...section(failing.html, 'metrics').matchAll(
        /<tr><td><code class="metric-name">([^<]+)<\/code><\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g,
      ),
    ].map((m) => m[2]);
    expect(goals.length).toBeGreaterThanOrEqual(13);
    for (const goal of goals) expect(goal).toMatch(/^(lower is better|higher is better|near its ideal [0-9.]+)$/);
  });

  it('prints the file name in the title, not the default output path', () => {
    const title = failing.html.match(/<title>([^<]*)<\/title>/)![1];
    expect(title).toBe('gesalp generate: weather.synthetic.csv');
    expect(failing.html.match(/<h1>([^<]*)<\/h1>/)![1]).not.toContain(dirname(OUTPUT_PATH));
  });
});

describe('the reports behind the pages', () => {
  it('fit the shipped JSON Schema, and their figures stay bins and shares, not rows', () => {
    for (const run of [failing, passing]) {
      expectValidReport(JSON.parse(JSON.stringify(run.generation)), 'the generation report');
      // 500 rows of 18 columns: the figures grow with the columns, not the rows.
      expect(JSON.stringify(run.evaluation.figures).length).toBeLessThan(150_000);
    }
  });
});

describe('the quality score', () => {
  it('comes first in the verdict, with its two parts and the privacy checks; compliance is labelled checks passed', async () => {
    const quality = { score: 61.2, column_shapes: 55.1, column_pair_trends: 67.3, pairs: 153 };
    const html = await renderHtmlReport({ evaluation: { ...failing.evaluation, quality } });
    const verdict = section(html, 'verdict');
    expect(verdict.indexOf('class="quality"')).toBeLessThan(verdict.indexOf('class="verdict"'));
    expect(verdict).toMatch(/<span class="score">61\.2<\/span>/);
    expect(verdict).toMatch(/Column shapes <strong>55\.1<\/strong> · column pair trends <strong>67\.3<\/strong>/);
    expect(verdict).toMatch(
      /Privacy: <span class="badge pass">✓ dup_rate<\/span> · <span class="badge pass">✓ mia_auc/,
    );
    expect(verdict).toContain('checks passed 42.9%');
    const without = section(
      await renderHtmlReport({ evaluation: { ...failing.evaluation, quality: null } }),
      'verdict',
    );
    expect(without).not.toContain('class="quality"');
  });
});
