/** Vega-Lite specs for the privacy plots and the training curve. */
import type { TopLevelSpec } from 'vega-lite';
import type { DistanceHistograms, RocCurve } from '../../metrics/figures/privacy-figures.js';
import { seriesColour } from './vega-svg.js';

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

/** The loss by epoch, each checkpoint a dashed line by its verdict, and the kept checkpoint a solid line with a label. */
export function lossSpec(
  losses: readonly number[],
  checkpoints: readonly { epoch: number; all_green: boolean }[],
  keptEpoch: number | null,
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
  if (keptEpoch !== null)
    layers.push({
      data: { values: [{ epoch: keptEpoch, label: `kept: epoch ${keptEpoch}` }] },
      layer: [
        {
          name: 'kept_checkpoint',
          mark: { type: 'rule', color: '#6f42c1', strokeWidth: 2.5 },
          encoding: { x: { field: 'epoch', type: 'quantitative' } },
        },
        {
          name: 'kept_label',
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, y: 2, color: '#6f42c1', fontWeight: 'bold' },
          encoding: { x: { field: 'epoch', type: 'quantitative' }, text: { field: 'label' } },
        },
      ],
    });
  return {
    title: {
      text: 'Training loss by epoch',
      subtitle: `dashed lines: early-stop checkpoints${keptEpoch === null ? '' : '; solid: the kept weights'}`,
    },
    width: 480,
    height: 180,
    layer: layers,
  } as TopLevelSpec;
}
