import { describe, expect, it } from '@jest/globals';
import { describeRun } from '../../src/commands/analysis-input.js';
import { diagnose } from '../../src/optimizer/diagnose.js';

const run = (metrics: string[]) => diagnose(describeRun(undefined, { metrics, rows: 1000, cols: 5 }));

describe('diagnose', () => {
  it('is not all green when nothing was evaluated', () => {
    const a = run([]);
    expect(a.failures).toEqual([]);
    expect(a.allGreen).toBe(false);
    expect(a.notEvaluated).toEqual(['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc']);
  });

  it('is not all green while a check has no value, even when the evaluated ones pass', () => {
    const a = run(['ks_mean=0.05', 'tvd_mean=0.05', 'corr_delta=0.05', 'dup_rate=0', 'detection_auc=0.6']);
    expect(a.failures).toEqual([]);
    expect(a.notEvaluated).toEqual(['mia_auc']);
    expect(a.allGreen).toBe(false);
  });

  it('is all green when every check has a passing value (ml_efficacy applies only with a target)', () => {
    const a = run([
      'ks_mean=0.05',
      'tvd_mean=0.05',
      'corr_delta=0.05',
      'dup_rate=0',
      'mia_auc=0.5',
      'detection_auc=0.6',
    ]);
    expect(a).toMatchObject({ failures: [], notEvaluated: [], allGreen: true });
  });

  it('names HIGH_DETECTION and LOW_ML_EFFICACY, explained by the joint-structure rule', () => {
    const a = run([
      'ks_mean=0.05',
      'tvd_mean=0.05',
      'corr_delta=0.05',
      'dup_rate=0',
      'mia_auc=0.5',
      'detection_auc=0.9',
    ]);
    expect(a.failures.map((f) => f.type)).toEqual(['HIGH_DETECTION']);
    expect(a.diagnoses.map((d) => d.rule)).toContain('joint-structure');
    const b = run(['ks_mean=0.05', 'mia_auc=0.5', 'detection_auc=0.6', 'ml_efficacy=0.7']);
    expect(b.failures.map((f) => f.type)).toEqual(['LOW_ML_EFFICACY']);
  });
});
