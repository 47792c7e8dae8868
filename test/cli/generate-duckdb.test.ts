/**
 * generate --engine duckdb on the command line: every flag the out-of-core path does not honour,
 * given, is a usage error (exit 2) that names the flag and says what to do; defaults never are.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, ROOT } from '../helpers/cli.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'gesalp-duckdb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const duckdb = (...args: string[]) =>
  gesalp(['generate', PENGUINS, '--method', 'aim', '--engine', 'duckdb', '-o', join(dir, 'out.csv'), ...args], {
    cwd: dir,
  });

describe('generate --engine duckdb refuses what it does not honour', () => {
  it.each([
    [['--max-attempts', '3'], '--max-attempts'],
    [['--condition', 'Species=Adelie'], '--condition'],
    [['--keep-id', 'Species'], '--keep-id'],
    [['--no-id-detection'], '--no-id-detection'],
    [['--discrete', 'Sex'], '--discrete'],
    [['--save-model', join(dir, 'model')], '--save-model'],
    [['--search', 'bayes'], '--search'],
    [['--ensemble', '2'], '--ensemble'],
    [['--backend', 'wasm'], '--backend'],
    [['--threads', '1'], '--threads'],
    [['--table', 'penguins'], '--table'],
    [['--client', 'sqlite'], '--client'],
  ])('%j: exit 2 naming %s, nothing written', (args, flag) => {
    const r = duckdb(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toMatch(/To fix this: (Drop|Use one)/);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it('a method that trains on rows is refused with the method named', () => {
    const r = duckdb('--method', 'ctgan');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--method ctgan');
    expect(r.stderr).toContain('Use --method aim');
  });

  it('the engine-only flags without --engine duckdb are refused too', () => {
    const r = gesalp(['generate', PENGUINS, '--method', 'aim', '--privacy-sample', '100', '-o', join(dir, 'm.csv')], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--privacy-sample applies to --engine duckdb only');
  });
});
