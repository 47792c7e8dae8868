import type { FeatureInput } from '../../../src/metrics/learn/binning.js';
import { fitBoosting, predictRaw } from '../../../src/metrics/learn/boosting.js';
import { probabilities } from '../../../src/metrics/learn/losses.js';
import { accuracy, rSquared } from '../../../src/metrics/learn/scores.js';
import { randomCodes, randomValues } from '../../helpers/random.js';

const N = 3000;

/** x in [-3, 7) with 10 % missing, c in 5 levels with 5 % missing, z pure noise. */
function features(n: number, seed: number): FeatureInput[] {
  return [
    { name: 'x', kind: 'numeric', values: randomValues(n, seed, { missing: 0.1 }) },
    { name: 'c', kind: 'categorical', codes: randomCodes(n, 5, seed + 1, 0.05), levels: 5 },
    { name: 'z', kind: 'numeric', values: randomValues(n, seed + 2) },
  ];
}

/** The rule: class 1 when x > 2 (or x missing) XOR c in {1, 3} (c missing counts as in). */
function rule(f: FeatureInput[]): Int32Array {
  const x = (f[0] as { values: Float64Array }).values;
  const c = (f[1] as { codes: Int32Array }).codes;
  return Int32Array.from(x, (v, i) => {
    const high = Number.isNaN(v) || v > 2;
    const inSet = c[i] === 1 || c[i] === 3 || c[i] < 0;
    return high !== inSet ? 1 : 0;
  });
}

const classify = (model: ReturnType<typeof fitBoosting>, f: FeatureInput[], classes: number) => {
  const p = probabilities(predictRaw(model, f), (f[0] as { values: Float64Array }).values.length, classes);
  const width = Math.max(classes, 2);
  return Int32Array.from({ length: p.length / width }, (_, i) => {
    let best = 0;
    for (let k = 1; k < width; k++) if (p[i * width + k] > p[i * width + best]) best = k;
    return best;
  });
};

describe('gradient-boosted trees', () => {
  it('recovers a decision rule mixing a threshold, a category set and missing values', () => {
    const train = features(N, 1);
    const test = features(1000, 99);
    const model = fitBoosting(
      train,
      { kind: 'classification', classes: 2, labels: rule(train) },
      { maxIterations: 60 },
    );
    expect(accuracy(rule(test), classify(model, test, 2))).toBeGreaterThan(0.99);
    // The noise column earns (almost) no split gain.
    expect(model.importances[2]).toBeLessThan(0.02);
  });

  it('separates three classes with softmax', () => {
    const train = features(N, 3);
    const test = features(1000, 98);
    const label = (f: FeatureInput[]) =>
      Int32Array.from((f[2] as { values: Float64Array }).values, (v) => (v < 0 ? 0 : v < 4 ? 1 : 2));
    const model = fitBoosting(
      train,
      { kind: 'classification', classes: 3, labels: label(train) },
      { maxIterations: 40 },
    );
    expect(model.outputs).toBe(3);
    expect(accuracy(label(test), classify(model, test, 3))).toBeGreaterThan(0.98);
  });

  it('fits a step function with squared error', () => {
    const train = features(N, 5);
    const test = features(1000, 97);
    const target = (f: FeatureInput[]) => {
      const z = (f[2] as { values: Float64Array }).values;
      const c = (f[1] as { codes: Int32Array }).codes;
      return Float64Array.from(z, (v, i) => (v > 1 ? 3 : 0) + (c[i] === 4 ? -2 : 0));
    };
    const model = fitBoosting(train, { kind: 'regression', values: target(train) }, { maxIterations: 80 });
    expect(rSquared(target(test), predictRaw(model, test))).toBeGreaterThan(0.99);
  });

  it('is reproducible with a seed and stops early on labels that are noise', () => {
    const train = features(N, 7);
    const noise = randomCodes(N, 2, 123);
    const fit = () =>
      fitBoosting(train, { kind: 'classification', classes: 2, labels: noise }, { earlyStopping: true, seed: 4 });
    const a = fit();
    expect(a.rounds).toBeLessThan(30);
    expect(predictRaw(a, train)).toEqual(predictRaw(fit(), train));
  });

  it('respects the leaf and depth limits', () => {
    const train = features(N, 8);
    const model = fitBoosting(
      train,
      { kind: 'classification', classes: 2, labels: rule(train) },
      {
        maxIterations: 5,
        maxLeaves: 4,
        maxDepth: 2,
      },
    );
    for (const tree of model.trees) {
      const leaves = Array.from(tree.feature).filter((f) => f < 0).length;
      expect(leaves).toBeLessThanOrEqual(4);
    }
  });
});
