import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
/** A few epochs of whole packs: enough to check the run's shape, seconds long. */
const TINY = ['--n-iter', '5', '--batch-size', '100', '--threads', '2', '--seed', '3'];
const NO_GATE = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'].flatMap(
  (m) => ['--threshold', `${m}=off`],
);

const csvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n');

describe('gesalp generate --method ctgan', () => {
  let dir: string;
  let trained: ReturnType<typeof gesalp>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-ctgan-cli-'));
    trained = gesalp([
      'generate',
      PENGUINS,
      '--method',
      'ctgan',
      ...TINY,
      ...NO_GATE,
      '-o',
      join(dir, 'p.csv'),
      '--save-model',
      join(dir, 'model'),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains, writes rows with the input header, the report and the model', () => {
    expect(trained.stderr).toMatch(/method: ctgan \(chosen by name\)/);
    expect(trained.code).toBe(0);
    const rows = csvRows(join(dir, 'p.csv'));
    expect(rows[0]).toBe(csvRows(PENGUINS)[0]);
    expect(rows).toHaveLength(345);
    const report = JSON.parse(readFileSync(join(dir, 'p.report.json'), 'utf8'));
    expect(report.method).toBe('ctgan');
    expect(report.parameters.map((p: { name: string }) => p.name)).toEqual([
      'n_iter',
      'batch_size',
      'lr',
      'embedding_dim',
      'pac',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8')).method).toBe('ctgan');
  });

  it('samples only the rows with the --condition values from the saved model, -n of each', () => {
    const out = join(dir, 'c.csv');
    const r = gesalp([
      'generate',
      PENGUINS,
      '--load-model',
      join(dir, 'model'),
      '--condition',
      'Species=Chinstrap',
      '--condition',
      'Species=Adelie',
      '-n',
      '30',
      ...NO_GATE,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    const species = csvRows(out)
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(species).toEqual([...Array(30).fill('Chinstrap'), ...Array(30).fill('Adelie')]);
    expect(JSON.parse(readFileSync(join(dir, 'c.report.json'), 'utf8')).output.rows).toBe(60);
  });

  it.each([
    [
      ['--condition', 'Body Mass (g)=4000'],
      /'Body Mass \(g\)' is numeric[\s\S]*Condition on one of: Species, Island, Sex/,
    ],
    [['--condition', 'Species=Emperor'], /'Species' has no value 'Emperor'[\s\S]*Its values: Adelie/],
    [['--condition', 'Specis=Adelie'], /no column 'Specis'[\s\S]*Did you mean 'Species'/],
    [['--condition', 'Species=Adelie', '--condition', 'Island=Dream'], /several columns \(Species, Island\)/],
    [['--backend', 'wasm'], /fused engine only[\s\S]*--backend fused/],
    [['--batch-size', '105'], /not a multiple of pac 10/],
  ])('exits 2 for %j and says how to fix it', (args, message) => {
    const out = join(dir, 'bad.csv');
    const r = gesalp(['generate', PENGUINS, '--method', 'ctgan', '--n-iter', '1', ...args, '-o', out]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
