import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lazyAtomicFile } from '../../../src/core/io/atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'gesalp-lazy-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazyAtomicFile', () => {
  it('creates nothing until the first write, and nothing is left after an abort', async () => {
    const file = lazyAtomicFile(join(dir, 'never.csv'));
    expect(readdirSync(dir)).toEqual([]);
    await file.abort();
    const written = lazyAtomicFile(join(dir, 'aborted.csv'));
    await written.write('a,b\n');
    expect(readdirSync(dir)).toHaveLength(1);
    await written.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces the target only at commit, and an abort after the commit changes nothing', async () => {
    const path = join(dir, 'rows.csv');
    writeFileSync(path, 'old\n');
    const file = lazyAtomicFile(path);
    await file.write('a,b\n');
    await file.write('1,2\n');
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    await file.commit();
    await file.abort();
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['rows.csv']);
    rmSync(path);
  });
});
