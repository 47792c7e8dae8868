import { describe, expect, it } from '@jest/globals';
import { verdictOfValues } from '../../src/metrics/checks.js';
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

  it('never stops at the last weights, judged only to choose what to keep', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.05), 1);
    expect(early.observe(20, metrics(0.052), 1, true)).toBe(false);
    expect(early.stoppedAt).toBeNull();
    expect(early.history.map((h) => h.last)).toEqual([undefined, true]);
  });

  it('keeps the best checkpoint only when it clearly beats the last one', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.3), 1);
    expect(early.keptEpoch).toBe(10);
    early.observe(20, metrics(0.05), 1);
    early.observe(30, metrics(0.2), 1, true);
    // Green against failing ks_mean: the epoch 20 weights are kept.
    expect([early.bestEpoch, early.keptEpoch]).toEqual([20, 20]);
    const close = new EarlyStop();
    close.observe(10, metrics(0.3, 0.05), 1);
    close.observe(20, metrics(0.3, 0.06), 1, true);
    // Both fail ks_mean alone and the scores differ by under 5%: the last weights stay.
    expect([close.bestEpoch, close.keptEpoch]).toEqual([10, 20]);
    const fewer = new EarlyStop();
    fewer.observe(10, metrics(0.3, 0.05), 1);
    fewer.observe(20, metrics(0.3, 0.2), 1, true);
    // One failing check against two: epoch 10.
    expect(fewer.keptEpoch).toBe(10);
  });

  it('records the failing checks of each checkpoint and says why an earlier one was kept, by the first rule that decided', () => {
    const green = new EarlyStop();
    green.observe(10, metrics(0.05), 1);
    green.observe(20, metrics(0.2), 1, true);
    expect(green.keptReason).toBe('it was all green and the last weights were not');
    const fewer = new EarlyStop();
    fewer.observe(10, metrics(0.3, 0.05), 1);
    fewer.observe(20, metrics(0.3, 0.2), 1, true);
    expect(fewer.history.map((h) => h.failing)).toEqual([1, 2]);
    expect(fewer.keptReason).toBe('it failed 1 check, the last weights 2, which decides before the score');
    const score = new EarlyStop();
    score.observe(10, metrics(0.2), 1);
    score.observe(20, metrics(0.4), 1, true);
    // Both fail ks_mean alone; 0.2 / 0.1 against 0.4 / 0.1 in the score: the earlier one is more than 5 % lower.
    expect(score.keptReason).toMatch(/^its score [\d.]+ is more than 5 % below the last weights’ [\d.]+$/);
    const last = new EarlyStop();
    last.observe(10, metrics(0.3), 1);
    last.observe(20, metrics(0.05), 1, true);
    expect([last.keptEpoch, last.keptReason]).toEqual([20, null]);
  });

  it('checks about ten times per run and at least 500 steps apart', () => {
    expect(checkpointEvery(500, 102)).toBe(50);
    expect(checkpointEvery(20, 102)).toBe(5);
    expect(checkpointEvery(400, 9)).toBe(56);
  });
});
