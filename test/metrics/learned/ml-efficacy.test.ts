import { mlEfficacy } from '../../../src/metrics/learned/ml-efficacy.js';
import { targetProblem } from '../../../src/metrics/learned/target.js';
import { takeRows } from '../../../src/core/table.js';
import { lcg } from '../../helpers/random.js';
import { population } from '../../helpers/population.js';

const real = population(1500, 1);
const holdout = population(1000, 2);

describe('ML efficacy', () => {
  it('scores synthetic rows of the same population about as well as real ones', () => {
    const result = mlEfficacy(real, population(1500, 3), holdout, 'label', { maxIterations: 30 });
    expect(result.task).toBe('classification');
    expect(result.real.macro_f1!).toBeGreaterThan(0.7);
    expect(result.ratio.macro_f1!).toBeGreaterThan(0.93);
    expect(Object.keys(result.real).sort()).toEqual(['accuracy', 'macro_f1', 'roc_auc']);
  });

  it('scores synthetic rows whose label is unrelated to the features far lower', () => {
    const synthetic = population(1500, 3);
    const next = lcg(9);
    const label = synthetic.columns[3] as { codes: Int32Array };
    label.codes.forEach((_, i) => (label.codes[i] = next() < 0.5 ? 1 : 0));
    const result = mlEfficacy(real, synthetic, holdout, 'label', { maxIterations: 30 });
    expect(result.ratio.roc_auc!).toBeLessThan(0.7);
    expect(result.ratio.macro_f1!).toBeLessThan(0.85);
  });

  it('reports R^2 and RMSE for a numeric target', () => {
    const result = mlEfficacy(real, population(1500, 3), holdout, 'y', { maxIterations: 30 });
    expect(result.score).toBe('r2');
    // y = x + N(0, 1), x ~ N(0, 1): the best R^2 is 0.5 and the best RMSE 1.
    expect(result.real.r2!).toBeGreaterThan(0.4);
    expect(result.real.rmse!).toBeLessThan(1.15);
    expect(result.ratio.r2!).toBeGreaterThan(0.85);
  });

  it('says why a column cannot be a target', () => {
    expect(targetProblem(real, 'nope')?.kind).toBe('unknown');
    const rows = Int32Array.from({ length: real.rowCount }, (_, i) => i).filter(
      (i) => (real.columns[3] as { codes: Int32Array }).codes[i] === 1,
    );
    expect(targetProblem(takeRows(real, rows), 'label')).toMatchObject({ kind: 'degenerate' });
    expect(targetProblem(real, 'label')).toBeUndefined();
  });
});
