import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const TRAIN = 'fixtures/penguins/train.csv';
const HOLDOUT = 'fixtures/penguins/holdout.csv';
const BASELINE = 'fixtures/penguins/baseline-synthetic.csv';

describe('gesalp evaluate: ML efficacy, detection, attack risks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports ML efficacy keyed real and synthetic, detection and the three risks in the JSON', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--target', 'Species', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ml_efficacy.target).toBe('Species');
    expect(Object.keys(report.ml_efficacy.real).sort()).toEqual(['accuracy', 'macro_f1', 'roc_auc']);
    expect(Object.keys(report.ml_efficacy.synthetic).sort()).toEqual(['accuracy', 'macro_f1', 'roc_auc']);
    expect(report.metrics.ml_efficacy.value).toBeCloseTo(
      report.ml_efficacy.synthetic.macro_f1 / report.ml_efficacy.real.macro_f1,
      6,
    );
    // The baseline resamples each column on its own: the species no longer follows the measurements.
    expect(report.metrics.ml_efficacy.value).toBeLessThan(0.9);
    expect(report.checks).toContainEqual(expect.objectContaining({ metric: 'ml_efficacy', op: '>=', status: 'fail' }));
    // ...and a detector sees it.
    expect(report.metrics.detection_auc.value).toBeGreaterThan(0.75);
    expect(Object.keys(report.detection.importances)).toHaveLength(7);
    for (const attack of ['singling_out', 'linkability', 'inference']) {
      expect(report.privacy_attacks[attack].main.rate).toEqual(expect.any(Number));
      expect(report.privacy_attacks[attack].control.rate).toEqual(expect.any(Number));
    }
    expect(report.privacy_attacks.inference.secret).toBe('Species');
  });

  it("prints both models' scores and the columns that give the synthetic rows away under the table", () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--target', 'Species', '--attacks', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ml_efficacy +│ 0\.\d+ +│ >= 0\.9 +│ FAIL/);
    expect(r.stdout).toMatch(
      /ml_efficacy \(Species\): macro_f1 0\.9\d* trained on real rows, 0\.\d+ on synthetic rows/,
    );
    expect(r.stdout).toMatch(/detection: the columns that give the synthetic rows away most: .+ \(\d+ %\)/);
    expect(r.stdout).toMatch(/inference_risk +│ [\d.]+ +│ +│ reported \(95 % interval \d\.\d\d-\d\.\d\d\)/);
  });

  it('leaves ML efficacy out of the gate without --target', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--json', '--attacks', '50']);
    const report = JSON.parse(r.stdout);
    expect(report.ml_efficacy).toBeNull();
    expect(report.checks).toContainEqual(expect.objectContaining({ metric: 'ml_efficacy', status: 'not_applicable' }));
    expect(report.privacy_attacks.linkability.attacks).toBe(50);
    expect(report.privacy_attacks.inference.secret).toBe('Sex');
  });

  it('exits 2 on a --target or --secret that names no column', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--target', 'species']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target species: no such column/);
    expect(r.stderr).toMatch(/Did you mean 'Species'\?/);
    const s = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--secret', 'nope']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--secret nope: no such column/);
  });

  it('exits 3 on a target with one class', () => {
    const rows = readFileSync(TRAIN, 'utf8').trim().split('\n');
    const oneClass = [rows[0] + ',Kind', ...rows.slice(1).map((row) => row + ',bird')].join('\n');
    const train = join(dir, 'one-class.csv');
    writeFileSync(train, oneClass + '\n');
    const r = gesalp(['evaluate', train, train, '--target', 'Kind']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--target Kind: target column 'Kind' has a single class/);
  });
});
