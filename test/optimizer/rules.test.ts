import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { describeRun, readReport, type RunDescription } from '../../src/commands/analysis-input.js';
import { diagnose } from '../../src/optimizer/diagnose.js';
import type { Situation } from '../../src/optimizer/situation.js';
import { REGISTRY } from '../../src/models/registry.js';
import { inSpace, type Space } from '../../src/models/space.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/optimizer/${name}.report.json`, import.meta.url));

function analyse(name: string, flags: RunDescription = {}, adjust: (s: Situation) => Situation = (s) => s) {
  return diagnose(adjust(describeRun(readReport(fixture(name)), flags)));
}

const change = (analysis: ReturnType<typeof diagnose>, param: string) =>
  analysis.changes.find((c) => c.param === param);
const withDp = (s: Situation): Situation => ({ ...s, can: { ...s.can, dp: true } });
/** A caller that cannot train AIM (an older build's method list): the DP-SGD rules answer themselves. */
const noAim = (s: Situation): Situation => ({
  ...s,
  can: { ...s.can, methods: s.can.methods.filter((m) => m !== 'aim') },
});
/** A caller that cannot switch DP on: the retry loop of a run without a stated privacy budget. */
const noDp = (s: Situation): Situation => ({ ...s, can: { ...s.can, dp: false } });

describe('optimizer rules on fixture reports', () => {
  it('tabddpm-ks-near: a passing KS within 0.02 of the threshold gets a preventive +50 epochs', () => {
    const a = analyse('ks-near');
    expect(a.allGreen).toBe(true);
    expect(a.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-near', severity: 'near' });
    expect(change(a, 'n_iter')).toMatchObject({ from: 500, to: 550, rule: 'tabddpm-ks-near' });
  });

  it('tabddpm-ks-standard: KS 0.15 adds 100 epochs', () => {
    const a = analyse('ks-standard');
    expect(a.failures.map((f) => f.type)).toEqual(['HIGH_KS']);
    expect(a.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-standard', severity: 'standard' });
    expect(change(a, 'n_iter')).toMatchObject({ from: 400, to: 500 });
  });

  it('tabddpm-ks-standard at its cap: n_iter 700 is past 600, so the next lever (width) moves instead', () => {
    const a = analyse('ks-standard-capped');
    expect(change(a, 'n_iter')).toBeUndefined();
    expect(change(a, 'width')).toMatchObject({ from: 128, to: 256, rule: 'tabddpm-ks-standard' });
    expect(change(a, 'width')!.reason).toMatch(/n_iter cannot move further/);
  });

  it('tabddpm-ks-severe: KS 0.35 adds 200 epochs and goes to at least 500', () => {
    const a = analyse('ks-severe');
    expect(a.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-severe', severity: 'severe' });
    expect(change(a, 'n_iter')).toMatchObject({ from: 200, to: 500 });
  });

  it('tabddpm-ks-critical: KS 0.6 goes to at least 500, up to 600', () => {
    const a = analyse('ks-critical');
    expect(a.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-critical', severity: 'critical' });
    expect(change(a, 'n_iter')).toMatchObject({ from: 300, to: 500 });
  });

  it('tabddpm-ks-critical with n_iter and width capped: a deeper denoiser is the lever left', () => {
    const a = analyse('ks-critical-two-caps');
    expect(a.changes).toHaveLength(1);
    expect(change(a, 'layers')).toMatchObject({ from: 2, to: 3, rule: 'tabddpm-ks-critical' });
  });

  it('tabddpm-ks-extreme: KS 0.73 says the model did not learn, adds 300 epochs and asks to check training and preprocessing', () => {
    const a = analyse('ks-extreme');
    expect(a.diagnoses[0].cause).toMatch(
      /KS 0\.730 is 7\.3x the 0\.1 threshold: the model did not learn the distribution; n_iter=300 is too low for 26,049 training rows/,
    );
    expect(a.diagnoses[0].advice!.join(' ')).toMatch(/training completed.*preprocessing/);
    expect(change(a, 'n_iter')).toMatchObject({ from: 300, to: 600 });
  });

  it('tabddpm-ks-extreme also covers samples piled at the range edges, where no KS was measured', () => {
    const a = analyse('ks-standard', {}, (s) => ({ ...s, metrics: {}, samplesAtEdges: true }));
    expect(a.allGreen).toBe(false);
    expect(a.diagnoses[0]).toMatchObject({ rule: 'tabddpm-ks-extreme', severity: 'extreme' });
    expect(change(a, 'n_iter')).toMatchObject({ from: 400, to: 700 });
  });

  it('tabddpm-corr: high corr_delta doubles the batch', () => {
    const a = analyse('corr');
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['tabddpm-corr']);
    expect(change(a, 'batch_size')).toMatchObject({ from: 256, to: 512 });
  });

  it('only-utility: a TVD failure alone trains 150 epochs longer', () => {
    const a = analyse('tvd-only');
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['only-utility']);
    expect(change(a, 'n_iter')).toMatchObject({ from: 500, to: 650 });
  });

  it('only-privacy: with DP-SGD available, enables it at epsilon 2', () => {
    const a = analyse('mia-only', {}, withDp);
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['only-privacy']);
    expect(change(a, 'epsilon')).toMatchObject({ from: null, to: 2 });
  });

  it('only-privacy: analyze-failure suggests DP-SGD at epsilon 2 (this build trains with it)', () => {
    expect(change(analyse('mia-only'), 'epsilon')).toMatchObject({ from: null, to: 2, rule: 'only-privacy' });
  });

  it('only-privacy: where DP cannot be switched on (no stated budget), falls back to fewer epochs', () => {
    const a = analyse('mia-only', {}, noDp);
    expect(change(a, 'epsilon')).toBeUndefined();
    expect(change(a, 'n_iter')).toMatchObject({ from: 500, to: 375, rule: 'only-privacy' });
  });

  it('memorisation: privacy and utility both failing keep the KS change and regularise with dropout', () => {
    const a = analyse('mia-and-ks', {}, noDp);
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['tabddpm-ks-standard', 'memorisation']);
    expect(change(a, 'n_iter')).toMatchObject({ to: 500, rule: 'tabddpm-ks-standard' });
    expect(change(a, 'dropout')).toMatchObject({ from: 0, to: 0.1, rule: 'memorisation' });
  });

  it('all-fail on TabDDPM: one diagnosis for everything, at least 500 epochs', () => {
    const a = analyse('all-fail-ddpm');
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['all-fail']);
    expect(change(a, 'n_iter')).toMatchObject({ from: 300, to: 500 });
  });

  it('all-fail on CTGAN: switch to TabDDPM with n_iter in 400-500', () => {
    const a = analyse('all-fail-ctgan');
    expect(change(a, 'method')).toMatchObject({ from: 'ctgan', to: 'ddpm', rule: 'all-fail' });
    const epochs = change(a, 'n_iter')!.to as number;
    expect(epochs).toBeGreaterThanOrEqual(400);
    expect(epochs).toBeLessThanOrEqual(500);
  });

  it('ctgan-ks: high KS adds 100 epochs', () => {
    const a = analyse('ctgan-ks');
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['ctgan-ks']);
    expect(change(a, 'n_iter')).toMatchObject({ from: 300, to: 400 });
  });

  it('ctgan-ks at the end of the space: the batch moves instead', () => {
    const a = analyse('ctgan-ks', { params: ['n_iter=10000'] });
    expect(change(a, 'n_iter')).toBeUndefined();
    expect(change(a, 'batch_size')).toMatchObject({ from: 500, to: 1000 });
  });

  it('ctgan-corr: high corr_delta doubles the embedding', () => {
    const a = analyse('ctgan-corr');
    expect(change(a, 'embedding_dim')).toMatchObject({ from: 128, to: 256, rule: 'ctgan-corr' });
  });

  it('ctgan-mia: enables DP where it can, else switches to TabDDPM', () => {
    expect(change(analyse('ctgan-mia', {}, withDp), 'epsilon')).toMatchObject({ to: 2, rule: 'ctgan-mia' });
    expect(change(analyse('ctgan-mia', {}, noDp), 'method')).toMatchObject({
      from: 'ctgan',
      to: 'ddpm',
      rule: 'ctgan-mia',
    });
  });

  it('dp-high-mia: under DP a membership failure LOWERS epsilon (more noise, more privacy)', () => {
    const a = analyse('dp-mia', { epsilon: 4 });
    expect(a.diagnoses[0].rule).toBe('dp-high-mia');
    const c = change(a, 'epsilon')!;
    expect(c).toMatchObject({ from: 4, to: 2 });
    expect(c.to as number).toBeLessThan(c.from as number);
  });

  it('dp-low-utility: under DP a utility failure RAISES epsilon, but never above the stated maximum', () => {
    expect(change(analyse('dp-utility', { epsilon: 1, maxEpsilon: 4 }, noAim), 'epsilon')).toMatchObject({
      from: 1,
      to: 2,
    });
    expect(change(analyse('dp-utility', { epsilon: 3, maxEpsilon: 4 }, noAim), 'epsilon')).toMatchObject({
      from: 3,
      to: 4,
    });
    // Where AIM can be trained, dp-utility-to-aim answers first, at the same epsilon.
    const withAim = analyse('dp-utility', { epsilon: 1, maxEpsilon: 4 });
    expect(change(withAim, 'method')).toMatchObject({ to: 'aim', rule: 'dp-utility-to-aim' });
    expect(change(withAim, 'epsilon')).toBeUndefined();
  });

  it('dp-low-utility at the stated maximum: the batch grows instead of epsilon', () => {
    const a = analyse('dp-utility', { epsilon: 4, maxEpsilon: 4 }, noAim);
    expect(change(a, 'epsilon')).toBeUndefined();
    expect(change(a, 'batch_size')).toMatchObject({ from: 256, to: 512, rule: 'dp-low-utility' });
  });

  it('too-slow: a green run over the time budget trains fewer epochs', () => {
    const a = analyse('too-slow');
    expect(a.allGreen).toBe(true);
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['too-slow']);
    expect(change(a, 'n_iter')).toMatchObject({ from: 700, to: 525 });
  });

  it('keeps every numeric suggestion inside the method space', () => {
    const names = [
      'ks-near',
      'ks-standard',
      'ks-standard-capped',
      'ks-severe',
      'ks-critical',
      'ks-critical-two-caps',
      'ks-extreme',
      'corr',
      'tvd-only',
      'mia-only',
      'mia-and-ks',
      'all-fail-ddpm',
      'ctgan-ks',
      'ctgan-corr',
      'too-slow',
    ];
    let checked = 0;
    for (const name of names) {
      const report = readReport(fixture(name));
      const space: Space = REGISTRY.get(report.method ?? 'ddpm').space;
      for (const c of analyse(name, {}, noDp).changes) {
        if (!(c.param in space)) continue;
        expect(inSpace(space[c.param], c.to as number)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(names.length);
  });
});
