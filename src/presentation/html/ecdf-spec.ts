/** The ECDF panel of a numeric or date column: the two curves KS compares, and the KS gap marked where it is. */
import type { EcdfFigure } from '../../metrics/figures/ecdf.js';
import { seriesColour } from './vega-svg.js';

const WIDTH = 200;
const SERIES = ['real', 'synthetic'] as const;

/** A view for an hconcat (not a top-level spec); `at` turns a value into the axis's unit (dates: ms). */
export function ecdfPanel(e: EcdfFigure, dates: boolean, height: number, at: (x: number) => number): unknown {
  // Each curve starts at 0 just at the first value, so a point mass there shows as the jump it is.
  const curve = SERIES.flatMap((table) => [
    { table, x: at(e.x[0]), share: 0 },
    ...e.x.map((x, k) => ({ table, x: at(x), share: e[table][k] })),
  ]);
  const gap = Math.abs(e.ks.real - e.ks.synthetic);
  const low = Math.min(e.ks.real, e.ks.synthetic);
  const x = { field: 'x', type: dates ? 'temporal' : 'quantitative', title: null, scale: { zero: false, nice: false } };
  return {
    width: WIDTH,
    height,
    title: { text: 'ECDF', fontSize: 11, fontWeight: 'normal' },
    layer: [
      {
        name: 'ecdf',
        data: { values: curve },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: { field: 'table', type: 'nominal', title: null, scale: seriesColour(SERIES) },
        },
      },
      {
        data: { values: [{ x: at(e.ks.at), low, high: low + gap, label: `KS ${gap.toFixed(3)}` }] },
        layer: [
          {
            name: 'ks_gap',
            mark: { type: 'rule', color: '#24292f', strokeWidth: 2.5 },
            encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
          },
          {
            name: 'ks_label',
            mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#24292f' },
            encoding: { x, y: { field: 'high', type: 'quantitative' }, text: { field: 'label' } },
          },
        ],
      },
    ],
  };
}
