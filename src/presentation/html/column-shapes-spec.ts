/** The column-shape chart SDMetrics users look for: one bar per column, worst first, the threshold marked on each. */
import type { TopLevelSpec } from 'vega-lite';
import type { ColumnScore } from './column-scores.js';

const WIDTH = 420;

/** `labels`: one distinct short label per score, in the same order. */
export function columnShapesSpec(scores: readonly ColumnScore[], labels: readonly string[]): TopLevelSpec {
  const values = scores.map((s, k) => ({
    label: labels[k],
    score: s.score,
    statistic: s.statistic,
    threshold: s.threshold,
    verdict: s.threshold !== null && s.score < s.threshold ? 'past the threshold' : 'within the threshold',
  }));
  const y = { field: 'label', type: 'nominal', sort: [...labels], title: null, axis: { labelLimit: 400 } };
  return {
    title: { text: 'Column shapes', subtitle: '1 − KS (numeric, dates) or 1 − TVD (categorical); 1 is the same shape' },
    width: WIDTH,
    height: { step: 16 },
    data: { values },
    layer: [
      {
        name: 'shape_bars',
        mark: { type: 'bar', height: { band: 0.75 } },
        encoding: {
          y,
          x: { field: 'score', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            scale: { domain: ['within the threshold', 'past the threshold'], range: ['#4c9be8', '#d62728'] },
            legend: { labelLimit: 300 },
          },
        },
      },
      {
        name: 'shape_threshold',
        transform: [{ filter: 'datum.threshold !== null' }],
        mark: { type: 'tick', orient: 'vertical', color: '#24292f', thickness: 2, bandSize: 14 },
        encoding: { y, x: { field: 'threshold', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}
