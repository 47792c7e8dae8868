import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

/**
 * gesalp generate --init-from DIR: fine-tuning a saved model on rows of the same schema, end to end
 * through the built binary with short real trainings: the report's path-free record of the model,
 * the refusals (schema, method, architecture, combinations, an older folder), and the DP rules (a
 * model trained without DP is refused under --epsilon; a DP model's budget adds to the run's).
 */
const PENGUINS = 'fixtures/penguins/penguins.csv';
const QUICK = ['--threads', '1', '--seed', '4'];
const NO_GATE = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'].flatMap(
  (m) => ['--threshold', `${m}=off`],
);

let dir: string;
let first: Record<string, any>;
const model = () => join(dir, 'model');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-init-from-'));
  const r = gesalp([
    'generate',
    PENGUINS,
    '--method',
    'tvae',
    '--n-iter',
    '6',
    '--batch-size',
    '50',
    ...QUICK,
    ...NO_GATE,
    '-o',
    join(dir, 'first.csv'),
    '--save-model',
    model(),
  ]);
  expect(r.code).toBe(0);
  first = JSON.parse(readFileSync(join(dir, 'first.report.json'), 'utf8'));
}, 60000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fineTune = (args: string[], input = PENGUINS) =>
  gesalp(['generate', input, '--init-from', model(), ...QUICK, ...NO_GATE, '-o', join(dir, 'tuned.csv'), ...args]);

describe('gesalp generate --init-from', () => {
  it("fine-tunes the saved model: its method and architecture, a first epoch's loss far below a fresh one's, the model's identity in the report", () => {
    const r = fineTune(['--n-iter', '2', '--batch-size', '50']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/method: tvae \(the saved model's method, which fine-tuning keeps\)/);
    expect(r.stderr).toMatch(/fine-tuning the tvae model in .* \(trained 6 epochs\)/);
    const report = JSON.parse(readFileSync(join(dir, 'tuned.report.json'), 'utf8'));
    expect(report.method).toBe('tvae');
    expect(report.parameters).toContainEqual(
      expect.objectContaining({ name: 'embedding_dim', value: 128, source: 'the model fine-tuned (init_from)' }),
    );
    expect(report.training.epoch_loss[0]).toBeLessThan(0.75 * first.training.epoch_loss[0]);
    const init = report.model.init_from;
    expect(init).toMatchObject({
      method: 'tvae',
      training: { epochs_done: 6, epochs: 6 },
      privacy: null,
      parameters: expect.objectContaining({ n_iter: 6, embedding_dim: 128 }),
    });
    expect(init.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(init)).not.toContain(dir);
  }, 60000);

  it('refuses rows of another schema (exit 3), naming the missing, extra and unseen', () => {
    const lines = readFileSync(PENGUINS, 'utf8').trim().split('\n');
    const other = join(dir, 'other.csv');
    writeFileSync(
      other,
      lines.map((line, i) => `${line.split(',').slice(0, 6).join(',')},${i ? 'x' : 'Colour'}`).join('\n'),
    );
    const r = fineTune([], other);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/missing column\(s\) Sex; column\(s\) the model does not know: Colour/);
    // Only the rows fine-tuning trains on are checked (a held-out row is never encoded): Dodo in
    // the first ten rows, so that some fall on the training side of the saved split.
    const dodo = join(dir, 'dodo.csv');
    const dodos = lines.slice(1, 11).map((line) => line.replace(/^Adelie/, 'Dodo'));
    writeFileSync(dodo, [lines[0], ...dodos, ...lines.slice(11)].join('\n'));
    const unseen = fineTune([], dodo);
    expect(unseen.code).toBe(3);
    expect(unseen.stderr).toMatch(/never saw.*Species: Dodo/);
  });

  it('refuses what would change the model: another method, an architecture parameter, and options that do not go with it (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--method', 'ctgan'], /--method ctgan, but the model in --init-from .* is a tvae model/],
      [['--param', 'embedding_dim=64'], /--param embedding_dim=64: the model in --init-from has embedding_dim 128/],
      [['--grid', 'embedding_dim=64,128'], /--grid embedding_dim/],
      [['--load-model', model()], /--load-model samples from a saved model as it is; --init-from trains it further/],
      [['--search', 'bayes'], /--search bayes searches the method's architecture/],
    ];
    for (const [args, message] of cases) {
      const r = fineTune(args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stderr).toMatch(message);
    }
  });

  it('refuses a folder saved before fine-tuning was possible (exit 3), which still samples with --load-model', () => {
    const old = join(dir, 'old');
    cpSync(model(), old, { recursive: true });
    rmSync(join(old, 'encoder.bin'));
    const json = JSON.parse(readFileSync(join(old, 'model.json'), 'utf8'));
    writeFileSync(join(old, 'model.json'), JSON.stringify({ ...json, format: 'gesalp-tvae/1' }));
    const r = gesalp(['generate', PENGUINS, '--init-from', old, ...QUICK, '-o', join(dir, 'x.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/saved by an older version of gesalp without the parts training needs/);
    expect(r.stderr).toMatch(/Re-save it with this version: train again with --save-model/);
    const load = gesalp([
      'generate',
      PENGUINS,
      '--load-model',
      old,
      ...QUICK,
      ...NO_GATE,
      '-n',
      '20',
      '-o',
      join(dir, 'y.csv'),
    ]);
    expect(load.code).toBe(0);
  });

  it('names --init-from for a folder that is a file or holds a truncated model.json, and refuses a larger holdout (exit 2)', () => {
    const file = gesalp([
      'generate',
      PENGUINS,
      '--init-from',
      join(model(), 'model.json'),
      ...QUICK,
      '-o',
      join(dir, 'x.csv'),
    ]);
    expect(file.code).toBe(3);
    expect(file.stderr).toMatch(/--init-from .*model\.json is a file, not a model folder/);
    const truncated = join(dir, 'truncated');
    cpSync(model(), truncated, { recursive: true });
    writeFileSync(join(truncated, 'model.json'), readFileSync(join(model(), 'model.json'), 'utf8').slice(0, 100));
    const broken = gesalp(['generate', PENGUINS, '--init-from', truncated, ...QUICK, '-o', join(dir, 'x.csv')]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/Point --init-from at a folder written by --save-model/);
    expect(broken.stderr).not.toMatch(/--load-model/);
    // The saved split's holdout is 0.2: a larger one would hold rows the saved model trained on.
    const larger = fineTune(['--holdout-fraction', '0.5']);
    expect(larger.code).toBe(2);
    expect(larger.stderr).toMatch(
      /--holdout-fraction 0\.5 is larger than the holdout of the model in --init-from \(0\.2\)/,
    );
  });
});

describe('gesalp generate --init-from under --epsilon', () => {
  it('refuses a model trained without DP (exit 2): it may have seen these rows without noise', () => {
    const bounds = writePenguinsBounds(dir);
    const r = fineTune(['--epsilon', '2', '--public-bounds', bounds]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--epsilon with --init-from: the model in .* was trained without a privacy budget/);
  });

  it("adds a DP model's budget to the run's by basic composition, in the report and the terminal", () => {
    const bounds = writePenguinsBounds(dir);
    const dp = ['--public-bounds', bounds, '--n-iter', '2', '--batch-size', '64'];
    const dpModel = join(dir, 'dp-model');
    const trained = gesalp([
      'generate',
      PENGUINS,
      '--method',
      'tvae',
      '--epsilon',
      '3',
      ...dp,
      ...QUICK,
      '-o',
      join(dir, 'dp1.csv'),
      '--save-model',
      dpModel,
    ]);
    expect(trained.code).toBe(0);
    const r = gesalp([
      'generate',
      PENGUINS,
      '--init-from',
      dpModel,
      '--epsilon',
      '2',
      ...dp,
      ...QUICK,
      '-o',
      join(dir, 'dp2.csv'),
      '--save-model',
      join(dir, 'dp-tuned'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/privacy: total epsilon 5, .* with the DP model it fine-tuned \(--init-from, epsilon 3\)/);
    const p = JSON.parse(readFileSync(join(dir, 'dp2.report.json'), 'utf8')).privacy;
    expect(p.total_epsilon).toBe(5);
    expect(p.composition).toMatchObject({ this_run_epsilon: 2, init_from_epsilon: 3 });
    expect(p.total_delta).toBeCloseTo(p.composition.this_run_delta + p.composition.init_from_delta, 12);
    // The fine-tuned model carries the chain's total, so fine-tuning it again adds to 5.
    expect(JSON.parse(readFileSync(join(dir, 'dp-tuned', 'privacy.json'), 'utf8')).total_epsilon).toBe(5);
  }, 60000);
});
