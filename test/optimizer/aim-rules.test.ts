import { describe, expect, it } from '@jest/globals';
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import { diagnose } from '../../src/optimizer/diagnose.js';
import type { MetricValues } from '../../src/optimizer/failures.js';
import { situationOf } from '../../src/optimizer/situation.js';
import { REGISTRY } from '../../src/models/registry.js';
import { sizeDefaults } from '../../src/optimizer/size-defaults.js';
import type { MethodId } from '../../src/models/registry.js';

const GREEN: MetricValues = { ks_mean: 0.02, tvd_mean: 0.02, corr_delta: 0.03, dup_rate: 0, mia_auc: 0.51 };

function analyse(method: MethodId, metrics: MetricValues, dp: { epsilon: number; maxEpsilon: number } | null) {
  const params = Object.fromEntries(
    Object.entries(sizeDefaults(REGISTRY.get(method), 20000, 12)).map(([k, v]) => [k, v.value]),
  );
  return diagnose(
    situationOf({
      method,
      metrics: { ...GREEN, ...metrics },
      thresholds: DEFAULT_THRESHOLDS,
      params,
      trainRows: 20000,
      columns: 12,
      dp,
      canDp: dp !== null,
    }),
  );
}

describe('optimizer rules for AIM', () => {
  it('dp-utility-to-aim: a DP-SGD method failing utility under DP switches to aim at the same epsilon', () => {
    const a = analyse('ddpm', { ks_mean: 0.15, corr_delta: 0.12 }, { epsilon: 1, maxEpsilon: 1 });
    expect(a.diagnoses[0]).toMatchObject({ rule: 'dp-utility-to-aim' });
    expect(a.changes).toEqual([expect.objectContaining({ param: 'method', from: 'ddpm', to: 'aim' })]);
  });

  it('dp-utility-to-aim leaves a privacy failure under DP to dp-high-mia', () => {
    const a = analyse('tvae', { mia_auc: 0.7, ks_mean: 0.2 }, { epsilon: 4, maxEpsilon: 4 });
    expect(a.diagnoses.map((d) => d.rule)).toContain('dp-high-mia');
    expect(a.changes.find((c) => c.param === 'method')).toBeUndefined();
  });

  it('aim-dp-utility: fewer rounds first, then coarser bins, then a higher epsilon', () => {
    const a = analyse('aim', { corr_delta: 0.13 }, { epsilon: 1, maxEpsilon: 4 });
    expect(a.diagnoses[0].rule).toBe('aim-dp-utility');
    expect(a.changes).toEqual([
      expect.objectContaining({ param: 'rounds_per_column', from: 16, to: 8, rule: 'aim-dp-utility' }),
    ]);
  });

  it('aim-exact-utility: without DP, finer bins for a marginal failure', () => {
    const a = analyse('aim', { ks_mean: 0.12 }, null);
    expect(a.diagnoses[0]).toMatchObject({ rule: 'aim-exact-utility' });
    expect(a.changes).toEqual([expect.objectContaining({ param: 'bins', from: 32, to: 64 })]);
  });

  it('aim-memorisation: without DP, a privacy failure asks for a budget first', () => {
    const a = analyse('aim', { mia_auc: 0.66 }, null);
    expect(a.diagnoses[0]).toMatchObject({ rule: 'aim-memorisation' });
    // The caller cannot switch DP on here (no stated budget): coarser bins instead.
    expect(a.changes).toEqual([expect.objectContaining({ param: 'bins', from: 32, to: 16 })]);
  });
});
