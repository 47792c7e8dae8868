import { describe, expect, it } from '@jest/globals';
import { verdictOfValues } from '../../src/metrics/checks.js';
import { checkpointEvery, checkpointPolicy, EarlyStop, PLATEAU_RULE } from '../../src/optimizer/early-stop.js';

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

describe('EarlyStop at a plateau', () => {
  /** Observes ks_mean values at epochs 10, 20, ...: what each checkpoint answered (stop, and the learning-rate factor). */
  function run(values: number[], early = new EarlyStop()) {
    const answers = values.map((ks, i) => {
      const epoch = 10 * (i + 1);
      const stop = early.observe(epoch, metrics(ks), 1);
      return stop ? 'stop' : early.lrFactor(epoch);
    });
    return { early, answers };
  }

  it('lowers the learning rate after two checkpoints that do not improve, twice, then stops', () => {
    const { early, answers } = run([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
    expect(answers).toEqual([1, 1, 0.5, 1, 0.5, 1, 'stop']);
    expect(early.actions.map(({ epoch, action, lr_scale }) => ({ epoch, action, lr_scale }))).toEqual([
      { epoch: 30, action: 'lower_lr', lr_scale: 0.5 },
      { epoch: 50, action: 'lower_lr', lr_scale: 0.25 },
      { epoch: 70, action: 'stop', lr_scale: null },
    ]);
    expect(early.actions[0].reason).toBe(
      'no better than the best checkpoint (epoch 10) for 2 checkpoints and not all green: the learning rate times 0.5',
    );
    expect(early.actions[2].reason).toMatch(/after 2 lowerings of the learning rate$/);
    expect(early.stoppedAt).toBe(70);
    expect(early.history.map((h) => h.stop)).toEqual([false, false, false, false, false, false, true]);
  });

  it('counts again from a checkpoint that improves by the keep rule, and from each lowering', () => {
    // 0.3 -> 0.29 is under 5 %: flat; 0.25 improves; then two flat ones lower the rate, and the count starts again.
    const { early, answers } = run([0.3, 0.29, 0.25, 0.25, 0.26, 0.25, 0.2, 0.2]);
    expect(answers).toEqual([1, 1, 1, 1, 0.5, 1, 1, 1]);
    expect(early.actions.map((a) => [a.epoch, a.action])).toEqual([[50, 'lower_lr']]);
  });

  it('takes no action in an improving run, nor in a green one, which the green rule stops', () => {
    expect(run([0.4, 0.3, 0.2, 0.15, 0.12, 0.09]).early.actions).toEqual([]);
    const green = run([0.05, 0.052]);
    expect(green.answers).toEqual([1, 'stop']);
    expect(green.early.actions).toEqual([]);
  });

  it('judges no plateau at the last weights', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.3), 1);
    early.observe(20, metrics(0.3), 1);
    expect(early.observe(30, metrics(0.3), 1, true)).toBe(false);
    expect(early.actions).toEqual([]);
  });

  it('records the training engine’s restarts and its stop, with the learning rate it goes on with', () => {
    const early = new EarlyStop();
    early.observe(10, metrics(0.3), 1);
    early.restarted({
      epoch: 13,
      step: 80,
      fromEpoch: 10,
      lrScale: 0.5,
      stopped: false,
      reason: 'the g loss was NaN at step 80',
    });
    early.restarted({
      epoch: 14,
      step: 90,
      fromEpoch: 0,
      lrScale: 0.25,
      stopped: true,
      reason: 'the g loss was NaN at step 90',
    });
    expect(early.actions).toEqual([
      {
        epoch: 13,
        action: 'restart',
        lr_scale: 0.5,
        reason:
          'the g loss was NaN at step 80: restarted from the epoch 10 checkpoint’s weights with a lower learning rate',
      },
      {
        epoch: 14,
        action: 'stop',
        lr_scale: null,
        reason: 'the g loss was NaN at step 90, one restart too many: training stopped with the initial weights',
      },
    ]);
  });

  it('answers through the checkpoint policy, and words the rule for the report', async () => {
    const early = new EarlyStop();
    const policy = checkpointPolicy(early, 10, 5, async () => metrics(0.3));
    const sample = async () => ({ rowCount: 0, columns: [] });
    for (const epoch of [10, 20, 30]) expect(await policy.decide(epoch, sample)).toBe(false);
    expect([10, 20, 30].map((epoch) => policy.lrFactor!(epoch))).toEqual([1, 1, 0.5]);
    policy.restarted!({ epoch: 31, step: 1, fromEpoch: 30, lrScale: 0.25, stopped: false, reason: 'r' });
    expect(early.actions.map((a) => a.action)).toEqual(['lower_lr', 'restart']);
    expect(PLATEAU_RULE).toContain('times 0.5, at most 2 times a run');
  });
});
