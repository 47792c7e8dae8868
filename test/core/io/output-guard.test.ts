import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputPaths } from '../../../src/core/io/output-guard.js';

describe('checkOutputPaths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-guard-'));
  const real = join(dir, 'real.csv');
  writeFileSync(real, 'a\n1\n');
  symlinkSync(real, join(dir, 'link.csv'));
  linkSync(real, join(dir, 'hard.csv'));
  mkdirSync(join(dir, 'sub'));
  const input = [{ role: 'INPUT', path: real }];

  it.each([
    ['the same path', real],
    ['a relative spelling', 'sub/../real.csv'],
    ['a symlink', join(dir, 'link.csv')],
    ['a hard link', join(dir, 'hard.csv')],
  ])('refuses an output that is the input under %s', async (_, path) => {
    await expect(checkOutputPaths(input, [{ role: '--out', path }], dir)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('same file as INPUT'),
    });
  });

  it('refuses two outputs that are one file', async () => {
    const outputs = [
      { role: '--out', path: join(dir, 'a.csv') },
      { role: '--report', path: join(dir, 'sub', '..', 'a.csv') },
    ];
    await expect(checkOutputPaths(input, outputs, dir)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('--report'),
    });
  });

  it('refuses a missing folder and a folder as the output', async () => {
    await expect(
      checkOutputPaths(input, [{ role: '--out', path: join(dir, 'nope', 'a.csv') }], dir),
    ).rejects.toMatchObject({ exitCode: 3 });
    await expect(checkOutputPaths(input, [{ role: '--out', path: join(dir, 'sub') }], dir)).rejects.toMatchObject({
      exitCode: 3,
    });
  });

  it('accepts distinct new files and stdout', async () => {
    await expect(
      checkOutputPaths(
        input,
        [
          { role: '--out', path: '-' },
          { role: '--report', path: join(dir, 'r.json') },
        ],
        dir,
      ),
    ).resolves.toBeUndefined();
  });
});
