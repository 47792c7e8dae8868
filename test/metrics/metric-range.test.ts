import { describe, expect, it } from '@jest/globals';
import type { GesalpError } from '../../src/core/errors.js';
import { metricValueProblem, parseMetricValue } from '../../src/metrics/metric-range.js';
import { METRICS } from '../../src/metrics/registry.js';

describe('metric ranges', () => {
  it('takes each range from the metric definition', () => {
    expect(METRICS.ks_mean.range).toEqual([0, 1]);
    expect(metricValueProblem('ks_mean', -3)).toBe('is outside the range of ks_mean (0 to 1)');
    expect(metricValueProblem('mia_auc', 7)).toBe('is outside the range of mia_auc (0 to 1)');
    expect(metricValueProblem('corr_delta', 1.5)).toBeUndefined();
    expect(metricValueProblem('corr_delta', 2.5)).toBe('is outside the range of corr_delta (0 to 2)');
    expect(metricValueProblem('dcr_median', 1e6)).toBeUndefined();
    expect(metricValueProblem('dcr_median', Infinity)).toBe('is not a finite number');
  });

  it('parses a value as text, refusing non-numbers and out-of-range values as usage errors', () => {
    expect(parseMetricValue('ks_mean', '0.73', '--metrics')).toBe(0.73);
    const refusal = (text: string) => {
      try {
        parseMetricValue('mia_auc', text, '--metrics');
      } catch (e) {
        return e as GesalpError;
      }
      return undefined;
    };
    expect(refusal('7')).toMatchObject({
      exitCode: 2,
      message: '--metrics mia_auc: 7 is outside the range of mia_auc (0 to 1)',
    });
    expect(refusal('1e400')).toMatchObject({ exitCode: 2, message: "--metrics mia_auc: '1e400' is not a number" });
    expect(refusal('')).toMatchObject({ exitCode: 2 });
  });
});
