import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openAtomicFile, temporaryPathFor, writeFileAtomic } from '../../../src/core/io/atomic-write.js';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names temporary files beside the target with 128 random bits, never the process id', () => {
    const target = join(dir, 'out.csv');
    const names = Array.from({ length: 50 }, () => temporaryPathFor(target));
    expect(new Set(names).size).toBe(50);
    for (const name of names) {
      expect(dirname(name)).toBe(dir);
      // Nothing but the 32 hex digits between name and suffix: no process id (a random hex may hold its digits by chance).
      expect(basename(name)).toMatch(/^\.out\.csv\.[0-9a-f]{32}\.tmp$/);
    }
  });

  it('streams into a hidden temporary file and shows the target only whole, on commit', async () => {
    const target = join(dir, 'rows.csv');
    const file = await openAtomicFile(target, 0o600);
    const rows = Array.from({ length: 20000 }, (_, i) => `${i},patient ${i}\n`);
    for (const row of rows) await file.write(row);
    expect(() => statSync(target)).toThrow();
    await file.commit();
    expect(readFileSync(target, 'utf8')).toBe(rows.join(''));
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['rows.csv']);
  });

  it('leaves nothing behind when aborted', async () => {
    const file = await openAtomicFile(join(dir, 'rows.csv'));
    await file.write('a,b\n');
    await file.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a link planted at the target instead of writing through it', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const target = join(dir, 'out.csv');
    symlinkSync(victim, target);
    await writeFileAtomic(target, 'patient rows');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('patient rows');
  });

  it('says which file could not be written (exit 3) when the folder is missing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), '{}')).rejects.toMatchObject({ exitCode: 3 });
  });
});
