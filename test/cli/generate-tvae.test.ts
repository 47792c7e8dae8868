import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
// Batches of 16 make 18 steps an epoch: enough steps for one early-stop checkpoint (every 28 epochs).
const SHORT = ['--method', 'tvae', '--n-iter', '30', '--batch-size', '12', '--threads', '2'];
const NO_GATE = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'].flatMap(
  (m) => ['--threshold', `${m}=off`],
);

describe('gesalp generate --method tvae', () => {
  let dir: string;
  let first: ReturnType<typeof gesalp>;
  let report: Record<string, any>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-tvae-'));
    first = gesalp([
      'generate',
      PENGUINS,
      '--seed',
      '4',
      ...SHORT,
      ...NO_GATE,
      '-o',
      join(dir, 'p.csv'),
      '--save-model',
      join(dir, 'model'),
    ]);
    report = JSON.parse(readFileSync(join(dir, 'p.report.json'), 'utf8'));
  }, 120000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains with progress and an estimate, writes rows, report and model', () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/estimated training time/);
    expect(first.stderr).toMatch(/trained 30 of 30 epochs/);
    expect(report.method).toBe('tvae');
    expect(report.training.epoch_loss).toHaveLength(30);
    // Early-stop checkpoints sample the model mid-training and score the rows.
    expect(report.early_stop.checkpoints.length).toBeGreaterThanOrEqual(1);
    // Checkpoints at least 500 steps apart (batches of 12 of about 250 training rows): the first one by then.
    expect(report.early_stop.checkpoints[0].epoch).toBe(report.early_stop.every_epochs);
    expect(report.early_stop.every_epochs).toBeLessThan(30);
    const rows = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe(readFileSync(PENGUINS, 'utf8').split('\n')[0]);
    expect(rows).toHaveLength(345);
    // The encoder beside the decoder (format 2): what --init-from fine-tunes from.
    expect(readdirSync(join(dir, 'model')).sort()).toEqual(['encoder.bin', 'model.json', 'split.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'))).toMatchObject({
      format: 'gesalp-tvae/2',
      method: 'tvae',
    });
  });

  it('repeats a seeded run exactly', () => {
    const again = gesalp(['generate', PENGUINS, '--seed', '4', ...SHORT, ...NO_GATE, '-o', join(dir, 'again.csv')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'p.csv'), 'utf8'));
  });

  it('samples from the saved model without training, the same rows for the same seed', () => {
    const load = (out: string) =>
      gesalp([
        'generate',
        PENGUINS,
        '--load-model',
        join(dir, 'model'),
        '-n',
        '40',
        '--seed',
        '9',
        ...NO_GATE,
        '-o',
        out,
      ]);
    const a = load(join(dir, 'a.csv'));
    const b = load(join(dir, 'b.csv'));
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr).not.toMatch(/estimated training time/);
    const rows = readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(41);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'));
  });

  it('refuses a saved model whose layout is damaged (exit 3)', () => {
    const broken = join(dir, 'broken');
    cpSync(join(dir, 'model'), broken, { recursive: true });
    const file = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8'));
    file.layout.numeric[0].modeSpan = 0;
    writeFileSync(join(broken, 'model.json'), JSON.stringify(file));
    const r = gesalp(['generate', PENGUINS, '--load-model', broken, '-n', '5', '-o', join(dir, 'never.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/model\.json is not a valid saved model: layout\.numeric\[0\]/);
  });
});
