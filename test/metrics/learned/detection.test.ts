import { detection } from '../../../src/metrics/learned/detection.js';
import { population } from '../../helpers/population.js';

describe('detection', () => {
  it('is near 0.5 on two samples of one population', () => {
    const result = detection(population(1500, 1), population(1500, 2), { seed: 3 });
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.05);
    expect(result.rowsPerSide).toBe(1500);
    expect(result.foldAucs).toHaveLength(5);
  });

  it('is near 1 on two very different populations', () => {
    const result = detection(population(1500, 1), population(1500, 2, { shift: true }), { seed: 3 });
    expect(result.auc).toBeGreaterThan(0.99);
  });

  it('names the column that gives the synthetic rows away', () => {
    const real = population(1500, 1);
    const synthetic = population(1500, 2);
    // Only y is off: the detector's importance goes to y.
    const y = synthetic.columns[1] as { values: Float64Array };
    y.values.forEach((v, i) => (y.values[i] = v + 1.5));
    const result = detection(real, synthetic, { seed: 3 });
    expect(result.auc).toBeGreaterThan(0.75);
    expect(result.importances[0][0]).toBe('y');
    expect(result.importances[0][1]).toBeGreaterThan(0.5);
  });
});
