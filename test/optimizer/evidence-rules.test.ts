/**
 * Issue 28 item 11: the rules read the report's evidence (the checkpoint curve, the columns, the
 * detector's importances), each names what it read, and an evaluation report is analysed without
 * a method. Each test fails on the optimizer as it was before (no evidence read: "train longer").
 */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readReport, type RunReport } from '../../src/api/run-description.js';
import { describeRun } from '../../src/commands/analysis-input.js';
import { analysisRecord, diagnose } from '../../src/optimizer/diagnose.js';
import type { CheckpointPoint, ColumnFacts } from '../../src/optimizer/evidence.js';
import { SEVERITIES } from '../../src/optimizer/rule.js';

const fixture = (name: string) =>
  readReport(fileURLToPath(new URL(`../../fixtures/optimizer/${name}.report.json`, import.meta.url)));

const TVAE_FLAT = 'tvae-flat-zero-inflated';

/** A fixture with its evidence replaced in part. */
const withEvidence = (report: RunReport, evidence: Partial<RunReport['evidence']>): RunReport => ({
  ...report,
  evidence: { ...report.evidence, ...evidence },
});

const curve = (metric: string, values: number[], every = 50): CheckpointPoint[] =>
  values.map((v, i) => ({ epoch: every * (i + 1), metrics: { [metric]: v } }));

const column = (facts: Partial<ColumnFacts> & Pick<ColumnFacts, 'name'>): ColumnFacts => ({
  kind: 'numeric',
  statistic: 'ks',
  value: null,
  categories: null,
  missing: 0,
  pointMasses: [],
  skewness: null,
  ...facts,
});

const sources = (d: { evidence: { source: string }[] }) => d.evidence.map((e) => e.source);

describe('the checkpoint curve', () => {
  it('TVAE with KS flat at 0.13-0.17 from epoch 30 to 300 is not told to train longer', () => {
    const a = diagnose(describeRun(fixture(TVAE_FLAT), {}));
    expect(a.changes.find((c) => c.param === 'n_iter')).toBeUndefined();
    expect(a.diagnoses.map((d) => d.rule)).not.toContain('ctgan-ks');
    const shapes = a.diagnoses.find((d) => d.rule === 'column-shapes')!;
    expect(shapes.cause).toMatch(
      /ks_mean stayed between 0\.13 and 0\.17 from epoch 30 to 300 .*more epochs will not help/,
    );
    expect(sources(shapes)).toContain('early_stop.checkpoints');
    // The other flat failures too: capacity or the method, never epochs.
    const flat = a.diagnoses.find((d) => d.rule === 'flat-curve')!;
    expect(flat.failures).toEqual(['HIGH_CORR_DELTA', 'LOW_ML_EFFICACY', 'HIGH_DETECTION']);
  });

  it('TabDDPM with a flat KS curve widens the denoiser instead of adding epochs', () => {
    const report = withEvidence(fixture('ks-standard'), { checkpoints: curve('ks_mean', [0.16, 0.15, 0.16, 0.15]) });
    const a = diagnose(describeRun(report, {}));
    expect(a.diagnoses[0]).toMatchObject({ rule: 'flat-curve', failures: ['HIGH_KS'] });
    expect(a.changes).toEqual([expect.objectContaining({ param: 'width', from: 128, to: 256, rule: 'flat-curve' })]);
  });

  it('a curve still improving keeps "train longer", and says it read the curve', () => {
    const report = withEvidence(fixture('ctgan-ks'), { checkpoints: curve('ks_mean', [0.4, 0.3, 0.22, 0.16]) });
    const a = diagnose(describeRun(report, {}));
    expect(a.changes.find((c) => c.param === 'n_iter')).toMatchObject({ from: 300, to: 400, rule: 'ctgan-ks' });
    expect(a.diagnoses[0].cause).toMatch(/ks_mean was still improving from epoch 50 to 200/);
    expect(sources(a.diagnoses[0])).toContain('early_stop.checkpoints');
  });

  it('all-fail on TabDDPM under a flat curve does not add epochs', () => {
    const flat = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc'].flatMap((m) => curve(m, [0.9, 0.9, 0.9]));
    const epochs = [50, 100, 150].map((epoch) => ({
      epoch,
      metrics: Object.assign({}, ...flat.filter((c) => c.epoch === epoch).map((c) => c.metrics)),
    }));
    const a = diagnose(describeRun(withEvidence(fixture('all-fail-ddpm'), { checkpoints: epochs }), {}));
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['all-fail']);
    expect(a.changes.find((c) => c.param === 'n_iter')).toBeUndefined();
    expect(a.changes[0].reason).toMatch(/checkpoint curve is flat, more epochs will not help/);
  });
});

describe('the per-column failures', () => {
  it('names the point mass TVAE smears and switches to TabDDPM, the method whose quantile transform keeps it', () => {
    const a = diagnose(describeRun(fixture(TVAE_FLAT), {}));
    const shapes = a.diagnoses.find((d) => d.rule === 'column-shapes')!;
    expect(shapes.evidence).toContainEqual({
      source: 'evaluation.figures.columns',
      finding: 'precipitation (KS 0.52): 57 % of real rows are exactly 0, against 5 % of synthetic rows',
    });
    expect(a.changes).toEqual([
      expect.objectContaining({ param: 'method', from: 'tvae', to: 'ddpm', rule: 'column-shapes' }),
    ]);
  });

  it('names a heavily skewed failing column', () => {
    const report = withEvidence(fixture('ctgan-ks'), {
      columns: [column({ name: 'income', value: 0.3, skewness: 4.2 }), column({ name: 'age', value: 0.02 })],
    });
    const shapes = diagnose(describeRun(report, {})).diagnoses[0];
    expect(shapes.rule).toBe('column-shapes');
    expect(shapes.cause).toMatch(/income \(KS 0\.30\): skewness 4\.2, a long right tail/);
  });

  it('names a failing column of many categories and switches TabDDPM to CTGAN', () => {
    const report = withEvidence(fixture('tvd-only'), {
      columns: [column({ name: 'occupation', kind: 'categorical', statistic: 'tvd', value: 0.4, categories: 120 })],
    });
    const a = diagnose(describeRun(report, {}));
    expect(a.diagnoses[0]).toMatchObject({ rule: 'many-categories' });
    expect(a.diagnoses[0].evidence).toContainEqual({
      source: 'evaluation.schema',
      finding: 'occupation (TVD 0.40): 120 categories',
    });
    expect(a.changes).toEqual([expect.objectContaining({ param: 'method', to: 'ctgan', rule: 'many-categories' })]);
  });
});

describe("the detector's importances", () => {
  it('joint-structure names the columns that give the rows away, and whether they are off on their own', () => {
    const report = withEvidence(fixture(TVAE_FLAT), { checkpoints: [] });
    const joint = diagnose(describeRun(report, {})).diagnoses.find((d) => d.rule === 'joint-structure')!;
    expect(joint.evidence).toContainEqual({
      source: 'evaluation.detection.importances',
      finding:
        'the detector tells the rows apart mostly by temp_min (26 %), date (20 %), temp_max (19 %), each of which matches on its own',
    });
    expect(joint.cause).toMatch(/temp_min \(26 %\).*so the model has not learnt how the columns go together/);
    const own = withEvidence(report, { importances: [{ feature: 'precipitation', share: 0.7 }] });
    const blamed = diagnose(describeRun(own, {})).diagnoses.find((d) => d.rule === 'joint-structure')!;
    expect(blamed.cause).toMatch(/precipitation \(70 %\); precipitation is off on its own too.*their fix comes first/);
  });
});

describe('severity', () => {
  it('has one stated order, and analyses list the most severe first', () => {
    expect(SEVERITIES).toEqual(['near', 'standard', 'severe', 'critical', 'extreme']);
    const a = diagnose(describeRun(fixture(TVAE_FLAT), {}));
    // Consulted in rule order (column-shapes first); reported most severe first.
    expect(a.diagnoses.map((d) => [d.rule, d.severity])).toEqual([
      ['column-shapes', 'standard'],
      ['flat-curve', 'severe'],
    ]);
    expect(analysisRecord(a).diagnoses.map((d) => d.rule)).toEqual(['flat-curve', 'column-shapes']);
  });
});

describe('an evaluation report', () => {
  it('names no method: no ddpm assumed, no parameter changed, the evidence still read', () => {
    const situation = describeRun(fixture('evaluate'), {});
    expect(situation.method).toBeNull();
    expect(situation.params).toEqual({});
    const a = diagnose(situation);
    expect(a.diagnoses.map((d) => d.rule)).toEqual(['no-method']);
    expect(a.changes).toEqual([]);
    expect(a.diagnoses[0].cause).toMatch(/names no method/);
    expect(sources(a.diagnoses[0])).toContain('evaluation.detection.importances');
  });

  it('takes a method when one is given', () => {
    const a = diagnose(describeRun(fixture('evaluate'), { method: 'tvae' }));
    expect(a.diagnoses.map((d) => d.rule)).not.toContain('no-method');
    expect(a.changes.length).toBeGreaterThan(0);
  });
});
