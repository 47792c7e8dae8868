import { beforeAll, describe, expect, it } from '@jest/globals';
import { useBackend } from '../../../src/core/backend.js';
import { corrDelta } from '../../../src/metrics/definitions/corr-delta.js';
import type { MetricContext } from '../../../src/metrics/metric.js';
import { privacyDistances, type PrivacyDistances } from '../../../src/metrics/privacy-distances.js';
import { rocAuc } from '../../../src/metrics/stats.js';
import { associationFigures } from '../../../src/metrics/figures/associations.js';
import {
  binEdges,
  columnDistributions,
  histogram,
  TOP_CATEGORIES,
} from '../../../src/metrics/figures/column-distributions.js';
import { distanceHistograms, rocCurve } from '../../../src/metrics/figures/privacy-figures.js';
import { randomCodes, randomValues } from '../../helpers/random.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

describe('column distributions', () => {
  it('gives integer columns with a short range one bin per integer, as shares of all rows', () => {
    const edges = binEdges([[0, 1, 2, 3, NaN]]);
    expect(edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5]);
    expect(histogram([0, 1, 2, 3, NaN], edges)).toEqual([0.2, 0.2, 0.2, 0.2]);
  });

  it('shares 30 equal bins over the joint range, the maximum in the last bin', () => {
    const edges = binEdges([[0, 0.5, 1], [0.25]]);
    expect(edges).toHaveLength(31);
    expect([edges[0], edges[30]]).toEqual([0, 1]);
    const shares = histogram([0, 0.5, 1], edges);
    expect(shares[0]).toBeCloseTo(1 / 3);
    expect(shares[15]).toBeCloseTo(1 / 3);
    expect(shares[29]).toBeCloseTo(1 / 3);
    expect(shares.reduce((a, b) => a + b)).toBeCloseTo(1);
  });

  it('keeps the most frequent categories, sums the rest as other and shows missing on its own', () => {
    const levels = Array.from({ length: TOP_CATEGORIES + 2 }, (_, k) => `c${k}`);
    // c0 most frequent in real, c13 only in synthetic but frequent there: it must be drawn.
    const realCodes = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -1, -1, -1];
    const synthCodes = [13, 13, 13, 13, 13, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1];
    const [d] = columnDistributions(
      table(categorical('c', realCodes, levels)),
      table(categorical('c', synthCodes, levels)),
      { ks: {}, tvd: { c: 0.25 } },
    );
    if (d.kind !== 'categorical') throw new Error('expected a categorical distribution');
    expect(d.categories[0]).toBe('c13');
    expect(d.categories[1]).toBe('c0');
    expect(d.categories).toHaveLength(TOP_CATEGORIES);
    expect(d.missing).toEqual({ real: 0.2, synthetic: 0.05 });
    expect(d.other?.categories).toBe(2);
    // Every row is in a bar: shown categories, other and missing add up to one per table.
    const total = (side: 'real' | 'synthetic') => d[side].reduce((a, b) => a + b, 0) + d.other![side] + d.missing[side];
    expect(total('real')).toBeCloseTo(1);
    expect(total('synthetic')).toBeCloseTo(1);
    expect(d.value).toBe(0.25);
  });

  it('records the missing share of numeric columns and their KS', () => {
    const [d] = columnDistributions(table(numeric('x', [1, NaN, 3, 4])), table(numeric('x', [1, 2, 3, 4])), {
      ks: { x: 0.25 },
      tvd: {},
    });
    expect(d).toMatchObject({ kind: 'numeric', statistic: 'ks', value: 0.25, missing: { real: 0.25, synthetic: 0 } });
  });
});

describe('association figures', () => {
  const n = 300;
  const x = randomValues(n, 1);
  const noise = randomValues(n, 2);
  const codes = randomCodes(n, 3, 3);
  const real = table(
    numeric('x', x),
    numeric(
      'y',
      x.map((v, i) => v + 0.1 * noise[i]),
    ),
    categorical('c', codes, ['a', 'b', 'c']),
    numeric('z', randomValues(n, 4)),
  );
  // The synthetic table loses the x-y relationship.
  const synthetic = table(
    numeric('x', x),
    numeric('y', randomValues(n, 5)),
    categorical('c', codes, ['a', 'b', 'c']),
    numeric('z', randomValues(n, 4)),
  );

  it('lists the lost relationship first, with shares that add up to corr_delta', async () => {
    const a = associationFigures(real, synthetic, { maxColumns: 20, seed: 0 })!;
    expect(a.columns).toEqual(['x', 'y', 'c', 'z']);
    expect(a.limited).toBe(false);
    expect(a.top_pairs[0]).toMatchObject({ columns: ['x', 'y'], measure: 'pearson' });
    expect(a.top_pairs[0].real).toBeGreaterThan(0.9);
    expect(a.difference[0][1]).toBeCloseTo(Math.abs(a.real[0][1]! - a.synthetic[0][1]!), 5);
    expect(a.difference[1][0]).toBe(a.difference[0][1]);
    expect(a.real[2][2]).toBeNull();
    // corr_delta is the mean difference over the 6 pairs, so share = difference / (6 * corr_delta).
    const delta = (await corrDelta.compute({ real, synthetic, seed: 0 } as MetricContext)).value!;
    for (const p of a.top_pairs) expect(p.share_of_corr_delta).toBeCloseTo(p.difference / (6 * delta), 4);
    expect(a.top_pairs.find((p) => p.columns.includes('c') && p.columns.includes('y'))?.measure).toBe(
      'correlation_ratio',
    );
  });

  it('keeps the columns that differ most when the table is wider than the heatmap, and says so', () => {
    const a = associationFigures(real, synthetic, { maxColumns: 2, seed: 0 })!;
    expect(a).toMatchObject({ columns: ['x', 'y'], total_columns: 4, limited: true });
    expect(a.real).toHaveLength(2);
    expect(a.real[0]).toHaveLength(2);
  });
});

describe('privacy figures', () => {
  beforeAll(async () => {
    await useBackend('auto');
  });

  const distances = (members: number[], others: number[]): PrivacyDistances => ({
    syntheticToReal: new Float64Array(),
    realToSynthetic: Float64Array.from(members),
    holdoutToSynthetic: Float64Array.from(others),
    rows: { real: members.length, synthetic: 0, holdout: others.length, cap: 100, sampled: [] },
  });

  it('draws the ROC curve of the distance attack, ties moving both rates at once', () => {
    // Members at 0 and 1, non-members at 1 and 2 (hand-computed curve).
    const roc = rocCurve(distances([0, 1], [1, 2]), 0.875)!;
    expect(roc.fpr).toEqual([0, 0, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 1, 1]);
  });

  it('has an area equal to the Mann-Whitney AUC, ties counting one half', () => {
    const members = Array.from(randomValues(150, 7), (v) => Math.round(v * 4));
    const others = Array.from(randomValues(120, 8), (v) => Math.round(v * 4 + 1));
    const roc = rocCurve(distances(members, others), null)!;
    let area = 0;
    for (let k = 1; k < roc.fpr.length; k++)
      area += ((roc.fpr[k] - roc.fpr[k - 1]) * (roc.tpr[k] + roc.tpr[k - 1])) / 2;
    const negate = (d: number[]) => d.map((v) => -v);
    expect(area).toBeCloseTo(rocAuc(negate(members), negate(others)), 5);
  });

  it('keeps at most 200 points of a long curve, from (0,0) to (1,1)', () => {
    const roc = rocCurve(distances(Array.from(randomValues(3000, 9)), Array.from(randomValues(3000, 10))), null)!;
    expect(roc.fpr.length).toBeLessThanOrEqual(200);
    expect([roc.fpr[0], roc.tpr[0], roc.fpr.at(-1), roc.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
  });

  it('measures holdout rows against the training rows in the metrics distance (hand-computed)', async () => {
    // R's range [0, 10] scales x to [0, 1]: H's 2 and 9 sit 0.2 and 0.1 from R's closest rows; S's 10 sits at 0.
    const real = table(numeric('x', [0, 10]));
    const holdout = table(numeric('x', [2, 9]));
    const synthetic = table(numeric('x', [10, 5]));
    const d = await privacyDistances(real, synthetic, holdout, { cap: 100, seed: 0, backend: 'wasm' });
    expect(Array.from(await d.holdoutToReal!())).toEqual([expect.closeTo(0.2, 12), expect.closeTo(0.1, 12)]);
    const h = await distanceHistograms(d);
    expect(h.edges[0]).toBe(0);
    expect(h.at_zero).toEqual({ synthetic: 1, holdout: 0 });
    expect(h.rows).toEqual({ synthetic: 2, holdout: 2 });
    expect(h.synthetic_to_train[0]).toBe(0.5);
    expect(h.holdout_to_train!.reduce((a, b) => a + b)).toBeCloseTo(1);
  });
});
