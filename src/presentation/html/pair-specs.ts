/**
 * A top pair of corr_delta drawn as its joint shares, real beside synthetic on one colour scale
 * (white at 0): a 2-D binned density for numbers and dates, a contingency table for categories.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PairAxis, PairDensity } from '../../metrics/figures/pair-densities.js';

const SIZE = 150;
/** Cells up to this many a side carry their share as text (a contingency table). */
const TEXT_CELLS = 8;

export function pairDensitySpec(p: PairDensity, subtitle: string): TopLevelSpec {
  const [x, y] = [cellsOf(p.x), cellsOf(p.y)];
  const values = (['real', 'synthetic'] as const).flatMap((table) =>
    p[table].flatMap((column, i) =>
      column.map((share, j) => ({ table, share, ...x.fields(i, 'x'), ...y.fields(j, 'y') })),
    ),
  );
  const layers: unknown[] = [
    {
      mark: 'rect',
      encoding: {
        color: {
          field: 'share',
          type: 'quantitative',
          title: 'share of rows',
          scale: { range: ['#ffffff', '#08519c'], interpolate: 'rgb', zero: true },
          legend: { orient: 'right', format: '.0%', gradientLength: 120 },
        },
      },
    },
  ];
  if (x.count <= TEXT_CELLS && y.count <= TEXT_CELLS && p.x.kind === 'categorical' && p.y.kind === 'categorical')
    layers.push({
      mark: { type: 'text', fontSize: 9 },
      encoding: {
        text: { field: 'share', format: '.0%' },
        color: {
          condition: { test: `datum.share > ${0.6 * Math.max(...values.map((v) => v.share))}`, value: 'white' },
          value: 'black',
        },
      },
    });
  return {
    title: { text: `${p.columns[0]} × ${p.columns[1]}`, subtitle },
    // A frame: the cells are white at 0, like the page.
    config: { view: { stroke: '#d0d7de' } },
    data: { values },
    facet: { column: { field: 'table', type: 'nominal', sort: ['real', 'synthetic'], title: null } },
    spec: {
      width: SIZE,
      height: SIZE,
      encoding: { ...x.encoding('x', p.x.column), ...y.encoding('y', p.y.column) },
      layer: layers,
    },
  } as TopLevelSpec;
}

/** One axis of the cells: the fields a cell carries and the encoding that places it. */
function cellsOf(axis: PairAxis) {
  if (axis.kind === 'categorical') {
    const labels = [...axis.categories, ...(axis.other ? [`‹${axis.other} other›`] : [])];
    return {
      count: labels.length,
      fields: (k: number, channel: 'x' | 'y') => ({ [`${channel}c`]: labels[k] }),
      encoding: (channel: 'x' | 'y', title: string) => ({
        [channel]: {
          field: `${channel}c`,
          type: 'nominal',
          sort: labels,
          title,
          axis: { labelLimit: 90, ...(channel === 'x' ? { labelAngle: -35 } : {}) },
        },
      }),
    };
  }
  // Dates are seconds since the epoch in the report; Vega's time scale counts milliseconds.
  const at = (v: number) => (axis.kind === 'datetime' ? v * 1000 : v);
  return {
    count: axis.edges.length - 1,
    fields: (k: number, channel: 'x' | 'y') => ({
      [`${channel}0`]: at(axis.edges[k]),
      [`${channel}1`]: at(axis.edges[k + 1]),
    }),
    encoding: (channel: 'x' | 'y', title: string) => ({
      [channel]: {
        field: `${channel}0`,
        type: axis.kind === 'datetime' ? 'temporal' : 'quantitative',
        title,
        scale: { zero: false, nice: false },
      },
      [`${channel}2`]: { field: `${channel}1` },
    }),
  };
}
