/** Vega-Lite specs for one column: real against synthetic, as shares of each table's rows. */
import type { TopLevelSpec } from 'vega-lite';
import type {
  CategoricalDistribution,
  ColumnDistribution,
  NumericDistribution,
  RealSynthetic,
} from '../../metrics/figures/column-distributions.js';
import { SERIES_COLOURS } from './vega-svg.js';

const WIDTH = 340;
const HEIGHT = 150;
const SERIES = ['real', 'synthetic'] as const;

export const seriesColour = (names: readonly string[]) => ({
  domain: [...names],
  range: names.map((n) => SERIES_COLOURS[n as keyof typeof SERIES_COLOURS]),
});

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
  const values = SERIES.flatMap((table) =>
    d[table].map((share, k) => ({ table, share, from: at(d.edges[k]), to: at(d.edges[k + 1]) })),
  );
  const histogram = {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'bar', orient: 'vertical', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: { field: 'from', type: dates ? 'temporal' : 'quantitative', title: null, scale: { zero: false, nice: false } },
      x2: { field: 'to' },
      y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' }, stack: null },
      color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
    },
  };
  if (d.missing.real === 0 && d.missing.synthetic === 0) return { title, ...histogram } as TopLevelSpec;
  return { title, hconcat: [histogram, missingSpec(d.missing)] } as TopLevelSpec;
}

/** Missing values as bars of their own beside the histogram. */
function missingSpec(missing: RealSynthetic) {
  return {
    width: 60,
    height: HEIGHT,
    data: { values: SERIES.map((table) => ({ table, share: missing[table], label: 'missing' })) },
    mark: 'bar',
    encoding: {
      x: { field: 'label', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'table', sort: [...SERIES] },
      y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' } },
      color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
    },
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
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        title: null,
        sort: bars.map((b) => b.label),
        axis: { labelAngle: -35, labelLimit: 110 },
      },
      xOffset: { field: 'table', sort: [...SERIES] },
      y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' } },
      color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
    },
  } as TopLevelSpec;
}
