import { beforeAll, describe, expect, it } from '@jest/globals';
import { useBackend } from '../../src/core/backend.js';
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import { evaluateTables } from '../../src/metrics/evaluate.js';
import { takeRows } from '../../src/core/table.js';
import { categorical, numeric, table } from '../helpers/tables.js';
import { randomCodes, randomValues } from '../helpers/random.js';

const options = { thresholds: DEFAULT_THRESHOLDS, backend: 'wasm' as const, seed: 1 };
const sample = (n: number, seed: number) =>
  table(
    numeric('x', randomValues(n, seed)),
    numeric('y', randomValues(n, seed + 1, { missing: 0.1 })),
    categorical('c', randomCodes(n, 4, seed + 2), ['a', 'b', 'c', 'd']),
  );

describe('evaluateTables', () => {
  beforeAll(async () => {
    await useBackend('auto');
  });

  it('scores a table against itself: KS, TVD and corr_delta 0, every row a duplicate', async () => {
    const real = sample(200, 1);
    const e = await evaluateTables(real, real, undefined, options);
    expect(e.metrics.ks_mean.value).toBe(0);
    expect(e.metrics.tvd_mean.value).toBe(0);
    expect(e.metrics.corr_delta.value).toBe(0);
    expect(e.metrics.dup_rate.value).toBe(1);
    expect(e.metrics.dcr_median.value).toBe(0);
    expect(e.metrics.mia_auc.status).toBe('not_evaluated');
    expect(e.verdict.allGreen).toBe(false);
  });

  it('gives a membership AUC near 1 when the synthetic rows copy the training rows', async () => {
    const all = sample(400, 5);
    const real = takeRows(
      all,
      Int32Array.from({ length: 200 }, (_, i) => i),
    );
    const holdout = takeRows(
      all,
      Int32Array.from({ length: 200 }, (_, i) => 200 + i),
    );
    const e = await evaluateTables(real, real, holdout, options);
    expect(e.metrics.mia_auc.value!).toBeGreaterThan(0.95);
    expect(e.metrics.dcr_train_share.value).toBe(1);
  });

  it('gives a membership AUC near 0.5 for rows independent of both sets', async () => {
    const e = await evaluateTables(sample(300, 11), sample(300, 12), sample(300, 13), options);
    expect(Math.abs(e.metrics.mia_auc.value! - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(e.metrics.dcr_train_share.value! - 0.5)).toBeLessThan(0.1);
    expect(e.metrics.dup_rate.value).toBe(0);
  });

  it('counts a duplicate only when every column matches, missing equal to missing', async () => {
    const real = table(numeric('x', [1, 2, NaN]), categorical('c', [0, 1, -1], ['a', 'b']));
    const synthetic = table(numeric('x', [1, 2, NaN, 1]), categorical('c', [0, 0, -1, 1], ['a', 'b']));
    const e = await evaluateTables(real, synthetic, undefined, options);
    expect(e.metrics.dup_rate.value).toBe(0.5);
  });

  it('marks TVD not applicable without categorical columns and keeps going', async () => {
    const real = table(numeric('x', randomValues(50, 1)), numeric('y', randomValues(50, 2)));
    const e = await evaluateTables(real, real, undefined, options);
    expect(e.metrics.tvd_mean.status).toBe('not_applicable');
    expect(e.verdict.checks.find((c) => c.metric === 'tvd_mean')?.status).toBe('not_applicable');
  });

  it('leaves a column with no values anywhere out of ks_mean with a warning', async () => {
    const real = table(numeric('x', randomValues(30, 1)), numeric('empty', new Array(30).fill(NaN)));
    const e = await evaluateTables(real, real, undefined, options);
    expect(e.metrics.ks_mean.value).toBe(0);
    expect(e.warnings.join('\n')).toMatch(/'empty' has no values/);
  });
});
