/** CSV dialects through the CLI (issue 27 item 2): a ';' file with decimal commas trains seed for seed as the comma file does. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gesalp, ROOT, type CliResult } from '../helpers/cli.js';
import { PENGUINS, penguinsAs } from '../helpers/dialect-variants.js';

const BIN = fileURLToPath(new URL('../../bin/gesalp.js', import.meta.url));

/** The binary run without waiting, so that two runs share the machine's cores. */
function gesalpAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-dialects-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gesalp generate on a ; file with decimal commas', () => {
  it('prints the sniffed dialect and writes exactly the rows the comma file gives, seed for seed', async () => {
    const semicolon = join(dir, 'penguins-semicolon.csv');
    writeFileSync(semicolon, penguinsAs(';', { decimalComma: true }));
    const run = (input: string, name: string) =>
      gesalpAsync([
        'generate',
        input,
        '--seed',
        '1',
        '--n-iter',
        '2',
        '--param',
        'num_timesteps=20',
        // One thread each: the two runs share the cores, and the result depends on the thread count.
        '--threads',
        '1',
        '-o',
        join(dir, `${name}.csv`),
      ]);
    const [viaSemicolon, viaComma] = await Promise.all([run(semicolon, 'from-semicolon'), run(PENGUINS, 'from-comma')]);
    expect(viaSemicolon.stderr).toContain(
      `${semicolon}: delimiter ';', quote '"', decimal ',', UTF-8 (sniffed from the first rows)`,
    );
    expect(viaSemicolon.stderr).toContain('344 rows x 7 columns');
    expect(viaSemicolon.code).toBe(viaComma.code);
    const rows = readFileSync(join(dir, 'from-semicolon.csv'), 'utf8');
    expect(rows.split('\n')[0]).toBe(
      'Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex',
    );
    expect(rows).toBe(readFileSync(join(dir, 'from-comma.csv'), 'utf8'));
  });
});

describe('the dialect flags', () => {
  it('refuses a ; header whose rows do not split (exit 3, naming --delimiter), and reads it once given', () => {
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a;b\n1;2\n3\n4;5\n');
    const refused = gesalp(['schema', ragged]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("the header holds ';', but split on it line 3 has 1 fields and the header 2");
    expect(refused.stderr).toContain("--delimiter ';'");
    const given = gesalp(['schema', ragged, '--delimiter', ';']);
    expect(given.code).toBe(3);
    expect(given.stderr).toContain("line 3 has 1 fields but the header has 2 (split on ';')");
  });

  it('refuses an unknown delimiter with exit 2', () => {
    const r = gesalp(['schema', PENGUINS, '--delimiter', ':']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected , ; tab or '\|', got ':'/);
  });
});
