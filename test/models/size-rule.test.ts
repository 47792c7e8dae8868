/**
 * SPEC section 10 (issue 30 item 1): default budgets stop growing with n. Below each method's step
 * cap the size tiers give exactly the epochs they gave before; above it, as many epochs as make the
 * capped number of steps, counted as the method's trainer counts them.
 */
import { describe, expect, it } from '@jest/globals';
import { CTGAN_STEP_CAP } from '../../src/models/ctgan/size-rules.js';
import { evenBatches } from '../../src/models/nn/time-estimate.js';
import { REGISTRY } from '../../src/models/registry.js';
import { sizedDefault, stepCapTiers, tierValueText, type SizeRule } from '../../src/models/size-rule.js';
import { DDPM_STEP_CAP } from '../../src/models/tabddpm/size-rules.js';
import { TVAE_STEP_CAP } from '../../src/models/tvae/size-rules.js';
import { sizeDefaults } from '../../src/optimizer/size-defaults.js';

const even = (rows: number, batch: number): number => evenBatches(rows, batch).stepsPerEpoch;
const full = (rows: number, batch: number): number => Math.max(1, Math.floor(rows / batch));

const METHODS = [
  { id: 'ddpm', cap: DDPM_STEP_CAP, steps: even, columns: 15, batch: 256 },
  { id: 'ddpm', cap: DDPM_STEP_CAP, steps: even, columns: 30, batch: 512 },
  { id: 'ctgan', cap: CTGAN_STEP_CAP, steps: full, columns: 15, batch: 500 },
  { id: 'tvae', cap: TVAE_STEP_CAP, steps: even, columns: 15, batch: 500 },
] as const;

const nIter = (method: string, rows: number, columns: number, given = {}) =>
  sizeDefaults(REGISTRY.get(method), rows, columns, false, given).n_iter;

describe('size rules with a step cap', () => {
  it('keeps TabDDPM at the SPEC tiers up to the cap (adult: 700 epochs, 71,400 steps)', () => {
    expect(nIter('ddpm', 999, 5)).toEqual({ value: 400, rule: 'ddpm-size-n-iter: under 1K training rows' });
    expect(nIter('ddpm', 1000, 5).value).toBe(500);
    expect(nIter('ddpm', 19999, 5).value).toBe(600);
    expect(nIter('ddpm', 20001, 5).value).toBe(700);
    expect(nIter('ddpm', 26049, 15)).toEqual({
      value: 700,
      rule: 'ddpm-size-n-iter: over 20K training rows, up to 100,000 steps',
    });
    // 700 epochs of 142 batches of 256 are 99,400 steps; 143 batches would pass the cap.
    expect(nIter('ddpm', 36352, 15).value).toBe(700);
    expect(nIter('ddpm', 36353, 15)).toEqual({
      value: 700,
      rule: 'ddpm-size-n-iter: over 20K training rows, steps capped at 100,000',
    });
    expect(nIter('ddpm', 36353 + 256, 15).value).toBe(695);
    // Over 20 columns the batch is 512: the cap comes at twice the rows.
    expect(nIter('ddpm', 72704, 30).rule).toMatch(/up to 100,000 steps$/);
    expect(nIter('ddpm', 72705, 30).rule).toMatch(/steps capped at 100,000$/);
  });

  it('keeps CTGAN and TVAE at 300 epochs on adult and up to the cap', () => {
    for (const [rows, value] of [
      [999, 2000],
      [4999, 1000],
      [14999, 500],
      [26049, 300],
      [33499, 300],
    ] as const)
      expect(nIter('ctgan', rows, 15).value).toBe(value);
    expect(nIter('ctgan', 33500, 15)).toEqual({
      value: 299,
      rule: 'ctgan-size-n-iter: reference default, steps capped at 20,000',
    });
    expect(nIter('tvae', 26049, 15)).toEqual({
      value: 300,
      rule: 'tvae-size-n-iter: reference default, up to 20,000 steps',
    });
    expect(nIter('tvae', 33000, 15).value).toBe(300);
    expect(nIter('tvae', 33001, 15)).toEqual({
      value: 299,
      rule: 'tvae-size-n-iter: reference default, steps capped at 20,000',
    });
  });

  it.each(METHODS)('$id ($columns columns): trains its cap in steps, within one epoch, at any size above it', (m) => {
    for (const rows of [100_000, 130_245, 520_976, 723_376, 3_000_000, 50_000_000]) {
      const { value, rule } = nIter(m.id, rows, m.columns);
      const perEpoch = m.steps(rows, m.batch);
      expect(rule).toMatch(/steps capped at/);
      expect(value * perEpoch).toBeGreaterThanOrEqual(m.cap);
      expect(value * perEpoch).toBeLessThan(m.cap + perEpoch);
    }
  });

  it('counts the steps in the batch the user gives', () => {
    // 520,976 rows in batches of 1,024: 509 steps an epoch, 197 epochs to reach 100,000 steps.
    expect(nIter('ddpm', 520976, 15, { batch_size: 1024 }).value).toBe(197);
    // A small batch makes even adult pass the cap: 26,049 rows of 64 are 408 steps an epoch.
    expect(nIter('ddpm', 26049, 15, { batch_size: 64 }).value).toBe(246);
  });

  it('is data: a computed tier says its computation, and an unknown batch leaves the epochs as they were', () => {
    const rule: SizeRule = {
      id: 'x-size-n-iter',
      param: 'n_iter',
      summary: 'x',
      tiers: stepCapTiers('any rows', 10, 100, even),
    };
    expect(rule.tiers.map(tierValueText)).toEqual(['10', 'ceil(100 / steps per epoch)']);
    expect(sizedDefault(rule, 100, 3, 10)).toEqual({ value: 10, rule: 'x-size-n-iter: any rows, up to 100 steps' });
    expect(sizedDefault(rule, 1000, 3, 10)).toEqual({ value: 1, rule: 'x-size-n-iter: any rows, steps capped at 100' });
    expect(sizedDefault(rule, 1000, 3).value).toBe(10);
  });
});
