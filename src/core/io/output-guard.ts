/**
 * Refuses, before any work starts, an output path that is the same file as an input or as another
 * output (by real path or, for an existing file, by device and inode, so symlinks and hard links
 * count), and an output whose folder is missing or not writable.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError, usageError } from '../errors.js';

/** A path and how the user named it (a flag such as `--out`, or an argument such as `REAL`). */
export interface NamedPath {
  readonly role: string;
  readonly path: string;
}

interface Identity {
  readonly real: string;
  /** `dev:ino` of an existing file, so two names of one file compare equal. */
  readonly inode: string | null;
}

/** stdout and stdin are not files. */
const isStream = (path: string) => path === '-';

async function identify(path: string, cwd: string): Promise<Identity> {
  const absolute = resolve(cwd, path);
  try {
    const info = await stat(absolute);
    return { real: await realpath(absolute), inode: `${info.dev}:${info.ino}` };
  } catch {
    // Not there yet: the file it will be is the one in the real folder.
    try {
      return { real: join(await realpath(dirname(absolute)), basename(absolute)), inode: null };
    } catch {
      return { real: absolute, inode: null };
    }
  }
}

const same = (a: Identity, b: Identity) => a.real === b.real || (a.inode !== null && a.inode === b.inode);

export async function checkOutputPaths(
  inputs: readonly NamedPath[],
  outputs: readonly NamedPath[],
  cwd: string,
): Promise<void> {
  const known = await Promise.all(
    inputs.filter((p) => !isStream(p.path)).map(async (p) => ({ ...p, id: await identify(p.path, cwd) })),
  );
  for (const output of outputs.filter((p) => !isStream(p.path))) {
    const id = await identify(output.path, cwd);
    const clash = known.find((k) => same(k.id, id));
    if (clash) {
      throw usageError(
        `${output.role} ${output.path} is the same file as ${clash.role} ${clash.path}: writing it would destroy it`,
        `Give ${output.role} a path of its own.`,
      );
    }
    await checkWritable(output, id);
    known.push({ ...output, id });
  }
}

async function checkWritable(output: NamedPath, id: Identity): Promise<void> {
  const folder = dirname(id.real);
  try {
    await access(folder, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
    throw inputError(
      `cannot write ${output.role} ${output.path}: its folder ${folder} is ${code === 'ENOENT' ? 'missing' : `not writable (${code})`}`,
      'Create the folder or choose a writable path.',
    );
  }
  if (id.inode === null) return;
  const info = await stat(id.real);
  if (!info.isFile())
    throw inputError(
      `cannot write ${output.role} ${output.path}: it is not a regular file`,
      'Give a file path, not a folder or a device.',
    );
}

/** The real path a file is or will be at: links resolved, so state kept there is one file whatever the spelling. */
export async function realTarget(path: string, cwd: string): Promise<string> {
  return (await identify(path, cwd)).real;
}
