/**
 * gesalp analyze-failure on issue 28 item 11: the next command repeats the report's input, output
 * and target; the failure table lists every failing check; the diagnoses come most severe first,
 * each with what it read; an evaluate report is analysed without assuming a method.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failingSpread } from '../helpers/checks.js';
import { gesalp } from '../helpers/cli.js';

const TVAE_FLAT = 'fixtures/optimizer/tvae-flat-zero-inflated.report.json';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-analyze-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gesalp analyze-failure reads its evidence', () => {
  it("prints the next run with the report's input, output and target, not INPUT", () => {
    const r = gesalp(['analyze-failure', TVAE_FLAT, '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Next run: gesalp generate ../shared/datasets/vega_seattle-weather.csv --method ddpm --target weather -o seattle-tvae.csv',
    );
    expect(r.stdout).not.toMatch(/INPUT|n_iter/);
  });

  it('quotes a path the shell would split, and keeps the run’s own non-default parameters', () => {
    const report = JSON.parse(readFileSync('fixtures/optimizer/ks-standard.report.json', 'utf8'));
    const path = join(dir, 'quoted.json');
    writeFileSync(
      path,
      JSON.stringify({ ...report, input: { ...report.input, path: 'my data.csv' }, output: { path: "it's.csv" } }),
    );
    const r = gesalp(['analyze-failure', path, '--params', 'lr=0.001']);
    expect(r.stdout).toContain(
      "Next run: gesalp generate 'my data.csv' --method ddpm --n-iter 500 --lr 0.001 -o 'it'\\''s.csv'",
    );
  });

  it('lists the diagnoses most severe first, each naming what it read', () => {
    const r = gesalp(['analyze-failure', TVAE_FLAT, '--no-color']);
    const severe = r.stdout.indexOf('[severe] flat-curve');
    const standard = r.stdout.indexOf('[standard] column-shapes');
    expect(severe).toBeGreaterThan(-1);
    expect(standard).toBeGreaterThan(severe);
    expect(r.stdout).toMatch(/column-shapes: .*precipitation \(KS 0\.52\): 57 % of real rows are exactly 0/);
    expect(r.stdout).toContain('  read: metrics, evaluation.figures.columns, early_stop.checkpoints');
    const json = JSON.parse(gesalp(['analyze-failure', TVAE_FLAT, '--json']).stdout);
    expect(json.diagnoses.map((d: { severity: string }) => d.severity)).toEqual(['severe', 'standard']);
    expect(json.diagnoses[0].evidence.map((e: { source: string }) => e.source)).toContain('early_stop.checkpoints');
  });

  it('puts a failing sample_spread in the failure table', () => {
    const report = JSON.parse(readFileSync('fixtures/optimizer/ks-standard.report.json', 'utf8'));
    report.evaluation.checks = [failingSpread()];
    const path = join(dir, 'spread.json');
    writeFileSync(path, JSON.stringify(report));
    const r = gesalp(['analyze-failure', path, '--no-color']);
    expect(r.stdout).toMatch(/│ HIGH_KS +│ ks_mean +│ 0\.15 +│ 0\.1 +│ 1\.5x +│/);
    expect(r.stdout).toMatch(/│ - +│ sample_spread +│ 0\.6 +│ 0\.2 +│ 3\.0x +│/);
    expect(r.stdout).not.toContain('piled up');
  });

  it('says an evaluate report names no method, and gives advice for any method', () => {
    const r = gesalp(['analyze-failure', 'fixtures/optimizer/evaluate.report.json', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The report names no method');
    expect(r.stdout).toContain('give --method NAME');
    expect(r.stdout).toMatch(/\[severe\] no-method: /);
    expect(r.stdout).not.toMatch(/ddpm|tabddpm|n_iter|Next run/);
    const named = gesalp(['analyze-failure', 'fixtures/optimizer/evaluate.report.json', '-m', 'tvae', '--no-color']);
    expect(named.stdout).toMatch(/Next run: gesalp generate INPUT --method tvae/);
  });
});
