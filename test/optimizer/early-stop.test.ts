import { describe, expect, it } from '@jest/globals';
import { verdictOfValues } from '../../src/core/metrics/checks.js';
import { checkpointEvery, EarlyStop } from '../../src/optimizer/early-stop.js';

const thresholds = { ks_mean: 0.1, corr_delta: 0.1, mia_auc: 0.6 };
const metrics = (ks: number, corr = 0.05, mia = 0.52) =>
  verdictOfValues({ ks_mean: ks, corr_delta: corr, mia_auc: mia }, thresholds);

describe('EarlyStop', () => {
  it('does not stop on the first all-green checkpoint: one small sample can be lucky', () => {
    const early = new EarlyStop();
    expect(early.observe(10, metrics(0.3), 1)).toBe(false);
    expect(early.observe(20, metrics(0.08), 1)).toBe(false);
    expect(early.history.map((h) => h.all_green)).toEqual([false, true]);
  });

  it('keeps training while green checkpoints still improve by 5% or more', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.09), 1);
    expect(early.observe(20, metrics(0.05), 1)).toBe(false);
    expect(early.stoppedAt).toBeNull();
  });

  it('stops at an all-green checkpoint that is no better than the best green one before it', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.09), 1);
    early.observe(20, metrics(0.05), 1);
    expect(early.observe(30, metrics(0.052), 1)).toBe(true);
    expect(early.stoppedAt).toBe(30);
  });

  it('never stops on a failing checkpoint, however flat', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.05), 1);
    expect(early.observe(20, metrics(0.05, 0.2), 1)).toBe(false);
  });

  it('checks about ten times per run and at least 500 steps apart', () => {
    expect(checkpointEvery(500, 102)).toBe(50);
    expect(checkpointEvery(20, 102)).toBe(5);
    expect(checkpointEvery(400, 9)).toBe(56);
  });
});
