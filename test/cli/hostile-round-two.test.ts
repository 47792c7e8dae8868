/**
 * Issue 24's findings outside sample-db, each reproduced through the binary: model folders
 * (outputs over a model's files, a pipe as its weights, repeated levels), crashes that were exit 1,
 * runs that never ended, and the leftovers of earlier rounds.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGISTRY } from '../../src/models/registry.js';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = fileURLToPath(new URL('../../fixtures/penguins/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));
const OFF = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'].flatMap(
  (m) => ['--threshold', `${m}=off`],
);

describe('issue 24 outside sample-db', () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-round-two-'));
    model = join(dir, 'model');
    // A CTGAN folder: its weights are generator.bin, which the output guard once did not know.
    const saved = gesalp([
      'generate',
      join(PENGUINS, 'penguins.csv'),
      '--method',
      'ctgan',
      '--n-iter',
      '1',
      '--save-model',
      model,
      '-o',
      join(dir, 'first.csv'),
      '-q',
    ]);
    expect(saved.stderr).not.toMatch(/internal error/);
    expect(statSync(join(model, 'generator.bin')).isFile()).toBe(true);
  }, 60000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('model folders', () => {
    const allFiles = [...new Set(REGISTRY.methods.flatMap((m) => m.files))];

    it.each(allFiles)('refuses (exit 2) an output over the model file %s of the loaded folder', (name) => {
      const before = readFileSync(join(model, 'model.json'));
      const weights = readFileSync(join(model, 'generator.bin'));
      const r = gesalp(['generate', join(PENGUINS, 'penguins.csv'), '--load-model', model, '-o', join(model, name)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is the same file as the model file/);
      expect(readFileSync(join(model, 'model.json')).equals(before)).toBe(true);
      expect(readFileSync(join(model, 'generator.bin')).equals(weights)).toBe(true);
    });

    it('refuses a pipe as the weights file at once (exit 3), instead of waiting for a writer for ever', () => {
      const piped = join(dir, 'piped');
      execFileSync('cp', ['-r', model, piped]);
      rmSync(join(piped, 'generator.bin'));
      execFileSync('mkfifo', [join(piped, 'generator.bin')]);
      const started = Date.now();
      const r = spawnSync(process.execPath, [BIN, 'generate', join(PENGUINS, 'penguins.csv'), '--load-model', piped], {
        encoding: 'utf8',
        timeout: 30000,
      });
      expect(Date.now() - started).toBeLessThan(25000);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/generator\.bin is not a regular file \(a pipe\)/);
    });

    it('refuses a model.json whose level list names a level twice (exit 3)', () => {
      const doubled = join(dir, 'doubled');
      execFileSync('cp', ['-r', model, doubled]);
      const file = JSON.parse(readFileSync(join(doubled, 'model.json'), 'utf8'));
      const column = file.columns.find((c: { kind: string }) => c.kind === 'categorical');
      column.levels[1] = column.levels[0];
      writeFileSync(join(doubled, 'model.json'), JSON.stringify(file));
      const r = gesalp(['generate', join(PENGUINS, 'penguins.csv'), '--load-model', doubled, '-o', join(dir, 'x.csv')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/levels names ".*" more than once/);
    });
  });

  describe('crashes that were exit 1', () => {
    it('refuses public bounds whose range overflows (exit 3), naming the column', () => {
      const bounds = join(dir, 'bounds.json');
      writeFileSync(
        bounds,
        JSON.stringify({
          columns: {
            'Beak Length (mm)': { min: 0, max: 100 },
            'Beak Depth (mm)': { min: 0, max: 40 },
            'Flipper Length (mm)': { min: 100, max: 300 },
            'Body Mass (g)': { min: -1e308, max: 1e308 },
            Species: { categories: ['Adelie', 'Chinstrap', 'Gentoo'] },
            Island: { categories: ['Biscoe', 'Dream', 'Torgersen'] },
            Sex: { categories: ['MALE', 'FEMALE'] },
          },
        }),
      );
      const r = gesalp([
        'generate',
        join(PENGUINS, 'penguins.csv'),
        '--epsilon',
        '1',
        '--public-bounds',
        bounds,
        '--n-iter',
        '2',
        '-o',
        join(dir, 'dp.csv'),
      ]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/"columns\.Body Mass \(g\)\.max" is too far from "min" .*the range overflows a number/);
    });

    it('turns memory the machine refuses into a resource error with a hint (exit 3), not a bug report', () => {
      // An address-space limit under what WebAssembly reserves for one training instance.
      const r = spawnSync(
        'bash',
        [
          '-c',
          `ulimit -v 4000000 && exec "${process.execPath}" "${BIN}" generate "${join(PENGUINS, 'penguins.csv')}" --backend fused --n-iter 2 -o "${join(dir, 'oom.csv')}" -q`,
        ],
        { encoding: 'utf8', timeout: 60000 },
      );
      expect(r.stderr).not.toMatch(/internal error|This is a bug/);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/the machine refused memory this run needs[\s\S]*To fix this: Raise the memory/);
    });
  });

  describe('runs that never ended or grew without bound', () => {
    it('caps --attacks at what the rows allow, and says so', () => {
      const real = join(dir, 'r300.csv');
      writeFileSync(real, readFileSync(join(PENGUINS, 'penguins.csv'), 'utf8').split('\n').slice(0, 301).join('\n'));
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          'evaluate',
          real,
          join(PENGUINS, 'baseline-synthetic.csv'),
          '--holdout',
          join(PENGUINS, 'holdout.csv'),
          '--attacks',
          '1000000000',
          '--json',
        ],
        { encoding: 'utf8', timeout: 60000 },
      );
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout);
      const holdoutRows = readFileSync(join(PENGUINS, 'holdout.csv'), 'utf8').trim().split('\n').length - 1;
      expect(report.privacy_attacks.linkability.attacks).toBeLessThanOrEqual(holdoutRows);
      expect(report.privacy_attacks.singling_out.attacks).toBeLessThanOrEqual(holdoutRows);
      expect(r.stderr).toMatch(/attacks 1000000000 is more than the rows allow; ran \d+/);
    });

    it('keeps the report of a very wide table to the columns that differ most', () => {
      const columns = 2000;
      const csv = (shift: number) =>
        [
          Array.from({ length: columns }, (_, c) => `c${c}`).join(','),
          ...Array.from({ length: 5 }, (_, r) =>
            Array.from({ length: columns }, (_, c) => (r * 7 + c * 3 + shift) % 10).join(','),
          ),
        ].join('\n');
      writeFileSync(join(dir, 'wide-real.csv'), csv(0));
      writeFileSync(join(dir, 'wide-synth.csv'), csv(1));
      const r = gesalp(['evaluate', join(dir, 'wide-real.csv'), join(dir, 'wide-synth.csv'), '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.figures.columns).toHaveLength(200);
      expect(report.figures.columns_left_out).toBe(columns - 200);
      expect(Object.keys(report.detection.importances).length).toBeLessThanOrEqual(50);
      expect(Object.keys(report.per_column.tvd)).toHaveLength(columns);
    }, 60000);
  });

  describe('leftovers', () => {
    it('connects to an IPv6 literal in a connection URL (the server refuses, the name resolves)', () => {
      const r = gesalp([
        'sample-db',
        '--client',
        'pg',
        '--connection',
        'postgres://nobody@[::1]:1/none',
        '--table',
        't',
        '--raw',
        '--ledger',
        join(dir, 'ledger.json'),
        '--audit-log',
        join(dir, 'audit.jsonl'),
      ]);
      expect(r.code).toBe(6);
      expect(r.stderr).not.toMatch(/ENOTFOUND/);
      expect(r.stderr).toMatch(/ECONNREFUSED ::1:1/);
      expect(r.stderr).toMatch(/reachable at pg:\/\/nobody@\[::1\]:1\/none/);
    });

    it('refuses a noise multiplier that leaves epsilon unbounded (exit 2), instead of printing null', () => {
      const r = gesalp([
        'suggest',
        '--sample-rate',
        '0.01',
        '--noise-multiplier',
        '1e-300',
        '--steps',
        '100',
        '--delta',
        '1e-5',
        '--json',
      ]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/gives no finite epsilon/);
    });

    it('says NOTHING CHECKED and exits 4 when --all-green has every check turned off', () => {
      const r = gesalp([
        'evaluate',
        join(PENGUINS, 'train.csv'),
        join(PENGUINS, 'baseline-synthetic.csv'),
        '--all-green',
        ...OFF,
      ]);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(/NOTHING CHECKED/);
      expect(r.stdout).not.toMatch(/ALL GREEN/);
      expect(r.stderr).toMatch(/error: NOTHING CHECKED/);
    });

    it('formats the values of a failed gate as the table does', () => {
      const r = gesalp([
        'evaluate',
        join(PENGUINS, 'train.csv'),
        join(PENGUINS, 'baseline-synthetic.csv'),
        '--all-green',
      ]);
      expect(r.code).toBe(4);
      const line = r.stderr.split('\n').find((l) => l.startsWith('error: quality gate failed'))!;
      expect(line).toMatch(/detection_auc 0\.\d{1,4} > 0\.75/);
      expect(line).not.toMatch(/\d\.\d{6,}/);
    });

    it('refuses --epsilon past the documented maximum (exit 2) before reading anything', () => {
      const r = gesalp(['generate', join(PENGUINS, 'penguins.csv'), '--epsilon', '1e308', '-o', join(dir, 'e.csv')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--epsilon 1e\+308 is above 100, the largest epsilon gesalp accepts/);
    });
  });
});
