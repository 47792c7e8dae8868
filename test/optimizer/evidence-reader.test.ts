/** What the optimizer reads from a report beyond its checks, and the curve and histogram arithmetic on it. */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readReport, runReport } from '../../src/api/run-description.js';
import { curveTrend } from '../../src/optimizer/checkpoint-curve.js';
import { encodedWidth } from '../../src/optimizer/evidence.js';
import { histogramSkewness } from '../../src/optimizer/histogram-skew.js';

const report = readReport(
  fileURLToPath(new URL('../../fixtures/optimizer/tvae-flat-zero-inflated.report.json', import.meta.url)),
);

describe('a report read for the optimizer', () => {
  it('holds the checkpoints, the columns with their kinds and point masses, and the importances', () => {
    const { checkpoints, columns, importances } = report.evidence;
    expect(checkpoints.map((c) => c.epoch)).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300]);
    expect(columns.map((c) => [c.name, c.kind, c.statistic])).toEqual([
      ['date', 'datetime', 'ks'],
      ['precipitation', 'numeric', 'ks'],
      ['temp_max', 'numeric', 'ks'],
      ['temp_min', 'numeric', 'ks'],
      ['wind', 'numeric', 'ks'],
      ['weather', 'categorical', 'tvd'],
    ]);
    expect(columns[1].pointMasses[0]).toEqual({ value: 0, real: 0.572835, synthetic: 0.053 });
    expect(columns[5].categories).toBe(5);
    expect(importances[0].feature).toBe('temp_min');
    expect(importances.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 9);
  });

  it('knows what a next run repeats: the input, the output and the target', () => {
    expect(report.run).toEqual({
      input: '../shared/datasets/vega_seattle-weather.csv',
      output: 'seattle-tvae.csv',
      target: 'weather',
    });
  });

  it("gives the layout's width from the schema: four numbers, a date and five categories", () => {
    expect(encodedWidth(report.evidence.columns)).toBe(10);
    expect(encodedWidth([])).toBeNull();
  });

  it('reads nothing from fields of another shape, and refuses nothing for them', () => {
    const doc = { report: 'evaluation', metrics: {}, per_column: 'x', detection: { importances: [1] }, figures: 3 };
    const { evidence } = runReport(doc, 'doc.json');
    expect(evidence).toEqual({ checkpoints: [], columns: [], importances: [] });
  });
});

describe('the curve and the histogram', () => {
  it('calls a curve flat when its second half is less than 10 % better than its first', () => {
    const points = (values: number[]) => values.map((v, i) => ({ epoch: 10 * (i + 1), metrics: { ks_mean: v } }));
    expect(curveTrend(points([0.15, 0.13, 0.16, 0.14]), 'ks_mean')).toMatchObject({
      flat: true,
      low: 0.13,
      high: 0.16,
    });
    expect(curveTrend(points([0.4, 0.3, 0.2, 0.15]), 'ks_mean')!.flat).toBe(false);
    expect(curveTrend(points([0.4]), 'ks_mean')).toBeNull();
    // ml_efficacy is maximised: rising is improving.
    const ml = [0.5, 0.6, 0.7, 0.8].map((v, i) => ({ epoch: i, metrics: { ml_efficacy: v } }));
    expect(curveTrend(ml, 'ml_efficacy')!.flat).toBe(false);
  });

  it('measures a long right tail as positive skewness, a symmetric one as none', () => {
    const edges = [0, 1, 2, 3, 4, 5];
    expect(histogramSkewness({ edges, shares: [0.2, 0.2, 0.2, 0.2, 0.2], masses: [] })).toBeCloseTo(0, 9);
    expect(
      histogramSkewness({ edges, shares: [0.05, 0.02, 0.01, 0.01, 0.01], masses: [{ value: 0, share: 0.9 }] }),
    ).toBeGreaterThan(2);
    expect(histogramSkewness({ edges: [], shares: [], masses: [{ value: 3, share: 1 }] })).toBeNull();
  });
});
