/**
 * The learner against published figures of scikit-learn's HistGradientBoosting (default
 * settings, random 80/20 split), on the shared datasets; skipped when they are absent.
 * - adult income: accuracy about 0.87, macro F1 0.811 (issue 16 of this project, measured with
 *   scikit-learn's HistGradientBoostingClassifier on an 80/20 split of adult).
 * - california housing: R^2 about 0.83-0.84 (scikit-learn's HistGradientBoostingRegressor with
 *   default settings; cf. the scikit-learn user guide's comparison of gradient boosting models on
 *   California housing, and issue 16).
 */
import { existsSync } from 'node:fs';
import { loadInputs } from '../../../src/core/io/load-inputs.js';
import { fitBoosting, predictRaw } from '../../../src/metrics/learn/boosting.js';
import { probabilities } from '../../../src/metrics/learn/losses.js';
import { accuracy, macroF1, rSquared } from '../../../src/metrics/learn/scores.js';
import { tableFeatures, takeFeatureRows } from '../../../src/metrics/learn/table-features.js';
import { createRng, permutation } from '../../../src/core/rng.js';
import type { CategoricalColumn, NumericColumn, Table } from '../../../src/core/table.js';

const DATASETS = new URL('../../../../shared/datasets/', import.meta.url).pathname;

async function split(file: string, seed: number) {
  const { tables } = await loadInputs([DATASETS + file], {});
  const table: Table = tables[0];
  const order = permutation(table.rowCount, createRng(seed));
  const cut = Math.round(table.rowCount * 0.8);
  return { table, train: order.slice(0, cut), test: order.slice(cut) };
}

const run = (file: string) => (existsSync(DATASETS + file) ? it : it.skip);
if (!existsSync(DATASETS + 'adult.csv')) console.warn(`skipping reference-dataset tests: ${DATASETS} has no adult.csv`);

describe('gradient-boosted trees on reference datasets', () => {
  run('adult.csv')('adult: accuracy within 0.015 of 0.87 and macro F1 within 0.02 of 0.811', async () => {
    const { table, train, test } = await split('adult.csv', 1);
    const income = table.columns.find((c) => c.name === 'income') as CategoricalColumn;
    const features = tableFeatures(table, ['income']);
    const labels = (rows: Int32Array) => Int32Array.from(rows, (r) => income.codes[r]);
    const model = fitBoosting(takeFeatureRows(features, train), {
      kind: 'classification',
      classes: 2,
      labels: labels(train),
    });
    const p = probabilities(predictRaw(model, takeFeatureRows(features, test)), test.length, 2);
    const predicted = Int32Array.from(test, (_, i) => (p[2 * i + 1] > 0.5 ? 1 : 0));
    expect(Math.abs(accuracy(labels(test), predicted) - 0.87)).toBeLessThan(0.015);
    expect(Math.abs(macroF1(labels(test), predicted, 2) - 0.811)).toBeLessThan(0.02);
  });

  run('california_housing.csv')('california housing: R^2 within 0.81-0.86', async () => {
    const { table, train, test } = await split('california_housing.csv', 2);
    const value = table.columns.find((c) => c.name === 'median_house_value') as NumericColumn;
    const features = tableFeatures(table, ['median_house_value']);
    const target = (rows: Int32Array) => Float64Array.from(rows, (r) => value.values[r]);
    const model = fitBoosting(takeFeatureRows(features, train), { kind: 'regression', values: target(train) });
    const r2 = rSquared(target(test), predictRaw(model, takeFeatureRows(features, test)));
    expect(r2).toBeGreaterThan(0.81);
    expect(r2).toBeLessThan(0.86);
  });
});
