/**
 * Vega-Lite specs for one column: real against synthetic, as shares of each table's rows. A numeric
 * or date column reads left to right: the histogram of the binned values, the exact values that
 * have bars of their own (point masses, missing), and the ECDFs with the KS gap.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatNumber } from '../../core/text/format.js';
import type {
  CategoricalDistribution,
  ColumnDistribution,
  NumericDistribution,
} from '../../metrics/figures/column-distributions.js';
import { ecdfPanel } from './ecdf-spec.js';
import { seriesColour } from './vega-svg.js';

const WIDTH = 280;
const HEIGHT = 150;
const SERIES = ['real', 'synthetic'] as const;

export function distributionSpec(d: ColumnDistribution): TopLevelSpec {
  const title = {
    text: d.column,
    subtitle: `${d.statistic.toUpperCase()} ${d.value === null ? 'not computed' : d.value.toFixed(3)} · ${d.kind} · share of rows`,
  };
  return d.kind === 'categorical' ? categoricalSpec(d, title) : numericSpec(d, title);
}

type Title = { text: string; subtitle: string };

function numericSpec(d: NumericDistribution, title: Title): TopLevelSpec {
  const dates = d.kind === 'datetime';
  // Dates are seconds since the epoch in the report; Vega's time scale counts milliseconds.
  const at = (x: number) => (dates ? x * 1000 : x);
  const panels: unknown[] = [];
  if (d.edges.length) panels.push(histogramPanel(d, at));
  const exact = exactValues(d);
  if (exact.length) panels.push(exactValuesPanel(exact));
  if (d.ecdf) panels.push(ecdfPanel(d.ecdf, dates, HEIGHT, at));
  if (panels.length === 1) return { title, ...(panels[0] as object) } as TopLevelSpec;
  // One colour scale, so one legend for the panels.
  return { title, hconcat: panels, spacing: 14, resolve: { scale: { color: 'shared' } } } as TopLevelSpec;
}

function histogramPanel(d: NumericDistribution, at: (x: number) => number) {
  const values = SERIES.flatMap((table) =>
    d[table].map((share, k) => ({ table, share, from: at(d.edges[k]), to: at(d.edges[k + 1]) })),
  );
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'bar', orient: 'vertical', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: {
        field: 'from',
        type: d.kind === 'datetime' ? 'temporal' : 'quantitative',
        title: null,
        scale: { zero: false, nice: false },
      },
      x2: { field: 'to' },
      y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' }, stack: null },
      color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
    },
  };
}

/** Bars of their own: each point mass ("= 0"), then missing. */
function exactValues(d: NumericDistribution): { label: string; real: number; synthetic: number }[] {
  const show = (v: number) => (d.kind === 'datetime' ? dateLabel(v) : formatNumber(v, 6));
  const bars = d.point_masses.map((m) => ({ label: `= ${show(m.value)}`, real: m.real, synthetic: m.synthetic }));
  if (d.missing.real > 0 || d.missing.synthetic > 0) bars.push({ label: 'missing', ...d.missing });
  return bars;
}

const dateLabel = (seconds: number): string => {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
};

function exactValuesPanel(bars: ReturnType<typeof exactValues>) {
  const values = bars.flatMap((bar) => SERIES.map((table) => ({ label: bar.label, table, share: bar[table] })));
  return {
    name: 'exact_values',
    width: { step: 22 },
    height: HEIGHT,
    data: { values },
    mark: 'bar',
    encoding: labelledBars(bars.map((b) => b.label)),
  };
}

function categoricalSpec(d: CategoricalDistribution, title: Title): TopLevelSpec {
  const bars = d.categories.map((label, k) => ({ label, real: d.real[k], synthetic: d.synthetic[k] }));
  // Labels that cannot clash with a category's own name.
  if (d.other) bars.push({ label: `‹${d.other.categories} other›`, ...d.other });
  if (d.missing.real > 0 || d.missing.synthetic > 0) bars.push({ label: '‹missing›', ...d.missing });
  const values = bars.flatMap((bar, order) =>
    SERIES.map((table) => ({ label: bar.label, order, table, share: bar[table] })),
  );
  return {
    title,
    width: { step: 28 },
    height: HEIGHT,
    data: { values },
    mark: 'bar',
    encoding: labelledBars(bars.map((b) => b.label)),
  } as TopLevelSpec;
}

/** Real beside synthetic, one pair of bars per label in `labels`' order, each a share of its table's rows. */
const labelledBars = (labels: readonly string[]) => ({
  x: {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: [...labels],
    axis: { labelAngle: -35, labelLimit: 110 },
  },
  xOffset: { field: 'table', sort: [...SERIES] },
  y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' } },
  color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
});
