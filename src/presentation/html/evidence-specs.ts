/** Vega-Lite specs for the association heatmaps, the privacy plots and the training curve. */
import type { TopLevelSpec } from 'vega-lite';
import type { DistanceHistograms, RocCurve } from '../../metrics/figures/privacy-figures.js';
import { seriesColour } from './distribution-specs.js';

/** Cells carry their value as text up to this many columns; past it the text would not fit. */
const LABELLED_COLUMNS = 12;

export function heatmapSpec(
  columns: readonly string[],
  matrix: readonly (readonly (number | null)[])[],
  options: { title: string; subtitle: string; difference: boolean },
): TopLevelSpec {
  const values = columns.flatMap((a, x) =>
    columns.map((b, y) => ({ a, b, value: matrix[x][y], label: matrix[x][y]?.toFixed(2) ?? '' })),
  );
  const step = columns.length > LABELLED_COLUMNS ? 14 : 30;
  const colour = options.difference
    ? { scheme: 'reds', domain: [0, 1], clamp: true }
    : { scheme: 'blueorange', domain: [-1, 1], reverse: true };
  const layers: unknown[] = [
    {
      mark: 'rect',
      encoding: {
        color: {
          field: 'value',
          type: 'quantitative',
          scale: colour,
          title: null,
          legend: { orient: 'right', gradientLength: 120 },
        },
      },
    },
  ];
  if (columns.length <= LABELLED_COLUMNS)
    layers.push({
      mark: { type: 'text', fontSize: 9 },
      encoding: {
        text: { field: 'label' },
        color: { condition: { test: 'abs(datum.value) > 0.6', value: 'white' }, value: 'black' },
      },
    });
  return {
    title: { text: options.title, subtitle: options.subtitle },
    width: { step },
    height: { step },
    data: { values },
    encoding: {
      x: { field: 'a', type: 'nominal', sort: [...columns], title: null, axis: { labelAngle: -45, labelLimit: 80 } },
      y: { field: 'b', type: 'nominal', sort: [...columns], title: null, axis: { labelLimit: 80 } },
    },
    layer: layers,
  } as TopLevelSpec;
}

export function distanceSpec(h: DistanceHistograms): TopLevelSpec {
  const series = h.holdout_to_train ? (['synthetic', 'holdout'] as const) : (['synthetic'] as const);
  const shares = { synthetic: h.synthetic_to_train, holdout: h.holdout_to_train ?? [] };
  const values = series.flatMap((table) =>
    shares[table].map((share, k) => ({
      table: table === 'synthetic' ? 'synthetic → train' : 'holdout → train',
      share,
      from: h.edges[k],
      to: h.edges[k + 1],
    })),
  );
  return {
    title: {
      text: 'Distance to the closest training row',
      // Short: without a canvas Vega estimates text widths generously and sizes the SVG by them.
      subtitle: 'share of rows',
    },
    width: 420,
    height: 170,
    data: { values },
    mark: { type: 'bar', orient: 'vertical', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: { field: 'from', type: 'quantitative', title: 'distance', scale: { domainMin: 0, nice: false } },
      x2: { field: 'to' },
      y: { field: 'share', type: 'quantitative', title: null, axis: { format: '.1~%' }, stack: null },
      color: {
        field: 'table',
        type: 'nominal',
        title: null,
        scale: {
          domain: ['synthetic → train', 'holdout → train'].slice(0, series.length),
          range: seriesColour(series).range,
        },
      },
    },
  } as TopLevelSpec;
}

export function rocSpec(roc: RocCurve): TopLevelSpec {
  const values = roc.fpr.map((fpr, k) => ({ fpr, tpr: roc.tpr[k] }));
  return {
    title: {
      text: `Membership attack ROC · AUC ${roc.auc === null ? '-' : roc.auc.toFixed(3)}`,
      subtitle: 'training rows against holdout rows',
    },
    width: 240,
    height: 240,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', color: '#d62728', interpolate: 'step-after' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate', scale: { domain: [0, 1] } },
          order: { field: 'fpr' },
        },
      },
    ],
  } as TopLevelSpec;
}

export function lossSpec(
  losses: readonly number[],
  checkpoints: readonly { epoch: number; all_green: boolean }[],
): TopLevelSpec {
  const layers: unknown[] = [
    {
      data: { values: losses.map((loss, k) => ({ epoch: k + 1, loss })) },
      mark: { type: 'line', point: losses.length <= 60, color: '#1f77b4' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
        y: { field: 'loss', type: 'quantitative', title: 'training loss', scale: { zero: false } },
      },
    },
  ];
  if (checkpoints.length)
    layers.push({
      data: { values: checkpoints.map((c) => ({ epoch: c.epoch, verdict: c.all_green ? 'green' : 'not green' })) },
      mark: { type: 'rule', strokeDash: [3, 3] },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        color: {
          field: 'verdict',
          type: 'nominal',
          title: 'checkpoint',
          scale: { domain: ['green', 'not green'], range: ['#2ca02c', '#d62728'] },
        },
      },
    });
  return {
    title: { text: 'Training loss by epoch', subtitle: 'dashed lines: early-stop checkpoints' },
    width: 480,
    height: 180,
    layer: layers,
  } as TopLevelSpec;
}
