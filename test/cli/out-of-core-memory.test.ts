/**
 * generate --engine duckdb in constant memory: the same run on a file ten times larger peaks
 * within a quarter of the smaller one's memory (the child's own maxRSS, measured by the peak hook;
 * nothing is timed). The rows asked for are fixed, so only the file grows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalpWithPeak } from '../helpers/peak-memory.js';

let dir: string;

/** A file of `rows` rows: two categorical columns and two numeric ones, drawn from a fixed recurrence. */
async function writeFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('city,plan,age,amount\n');
  let x = 7;
  for (let r = 0; r < rows; r++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const line = `${['Oslo', 'Lima', 'Pune', 'Kyiv'][x % 4]},${['a', 'b', 'c'][(x >> 3) % 3]},${18 + ((x >> 5) % 70)},${((x >> 9) % 100000) / 100}\n`;
    if (!out.write(line)) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  await new Promise<void>((done) => out.end(() => done()));
}

function run(file: string): number {
  const r = gesalpWithPeak(
    [
      'generate',
      file,
      '--method',
      'aim',
      '--engine',
      'duckdb',
      '--memory-limit',
      '256MB',
      ...['-n', '20000', '--seed', '3', '-o', `${file}.out.csv`, '--privacy-sample', '5000', '--no-color'],
    ],
    `${file}.peak`,
    { cwd: dir, timeout: 400_000 },
  );
  expect(r.stderr).toContain('engine: duckdb');
  expect(r.status).toBe(0);
  return r.peak;
}

describe('generate --engine duckdb', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-out-of-core-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('peaks at about the same memory on a file ten times larger', async () => {
    const [small, large] = [join(dir, 'small.csv'), join(dir, 'large.csv')];
    await writeFile(small, 60_000);
    await writeFile(large, 600_000);
    const peaks = { small: run(small), large: run(large) };
    expect({ ...peaks, flat: peaks.large < 1.25 * peaks.small }).toEqual({ ...peaks, flat: true });
  }, 900_000);
});
