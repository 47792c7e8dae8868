import { describe, expect, it } from '@jest/globals';
import { applyThresholds } from '../../src/metrics/checks.js';
import { notApplicable, notEvaluated, ok } from '../../src/metrics/metric.js';

describe('applyThresholds', () => {
  it('passes values at or under a minimise threshold and fails those above, with the excess', () => {
    const verdict = applyThresholds({ ks_mean: ok(0.1), corr_delta: ok(0.25) }, { ks_mean: 0.1, corr_delta: 0.1 });
    expect(verdict.checks.map((c) => c.status)).toEqual(['pass', 'fail']);
    expect(verdict.checks[1].excess).toBeCloseTo(0.15, 12);
    expect(verdict.allGreen).toBe(false);
    expect(verdict.complianceScore).toBe(50);
  });

  it('uses >= for a metric to maximise', () => {
    const verdict = applyThresholds({ dcr_median: ok(0.05) }, { dcr_median: 0.1 });
    expect(verdict.checks[0]).toMatchObject({ op: '>=', status: 'fail' });
  });

  it('fails the gate for a check that could not be evaluated, naming what is missing', () => {
    const verdict = applyThresholds(
      { ks_mean: ok(0), mia_auc: notEvaluated('needs holdout rows') },
      { ks_mean: 0.1, mia_auc: 0.6 },
    );
    expect(verdict.allGreen).toBe(false);
    expect(verdict.violations).toEqual([
      expect.objectContaining({ metric: 'mia_auc', status: 'not_evaluated', message: 'needs holdout rows' }),
    ]);
  });

  it('does not count a check with nothing to measure', () => {
    const verdict = applyThresholds(
      { ks_mean: ok(0.01), tvd_mean: notApplicable('no categorical column') },
      { ks_mean: 0.1, tvd_mean: 0.1 },
    );
    expect(verdict.allGreen).toBe(true);
    expect(verdict.complianceScore).toBe(100);
  });

  it('is not all green when no check applies: nothing checked passes nothing', () => {
    const verdict = applyThresholds({ tvd_mean: notApplicable('no categorical column') }, { tvd_mean: 0.1 });
    expect(verdict).toMatchObject({ allGreen: false, complianceScore: 0, violations: [] });
    expect(applyThresholds({}, {})).toMatchObject({ allGreen: false, complianceScore: 0 });
  });
});
