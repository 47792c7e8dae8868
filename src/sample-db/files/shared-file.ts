/**
 * The budget ledger's file, shared by every run on the machine. It is changed only under a lock
 * keyed by its device and inode, so that every name of it (a hard link in any folder) takes the
 * same lock, and it is rewritten in place, so that the file keeps that identity: an atomic
 * rename would give one name a new file and leave the other names on the old one, two ledgers
 * each charging its own spend. A write cut short by a crash leaves text that does not parse,
 * which the strict reader refuses (exit 3) instead of reading a smaller spend.
 */
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inputError } from '../../core/errors.js';
import { temporaryPathFor } from '../../core/io/atomic-write.js';
import { inodeLockPath, LOCK_WAIT_MS, withLockFile } from './file-lock.js';

/** Rewrites the file's whole content in place. */
export type Rewrite = (text: string) => Promise<void>;

const HINT = 'Give the ledger the path of a regular file (or of one to create) in a writable folder.';

/** Runs `action` on the file's text, under its lock; `initial` is the content of a file created now. */
export async function withSharedFile<T>(
  path: string,
  initial: string,
  action: (text: string, rewrite: Rewrite) => Promise<T>,
  timeoutMs = LOCK_WAIT_MS,
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 50; attempt++) {
    await createIfMissing(path, initial);
    const handle = await openShared(path);
    try {
      const info = await handle.stat();
      const done = await withLockFile(
        inodeLockPath(info.dev, info.ino),
        async () => {
          // Replaced between the open and the lock (by hand): the lock is the old file's; start again.
          const now = await lstat(path).catch(() => undefined);
          if (!now || now.dev !== info.dev || now.ino !== info.ino) return undefined;
          const text = await readWhole(handle);
          return { value: await action(text, (next) => rewriteInPlace(handle, next)) };
        },
        timeoutMs,
      );
      if (done) return done.value;
    } finally {
      await handle.close();
    }
  }
  throw inputError(`${path} was replaced again and again while gesalp waited to lock it`, HINT);
}

/** Creates the file whole (written aside, then linked in: link fails rather than replace one that appeared). */
async function createIfMissing(path: string, initial: string): Promise<void> {
  try {
    await lstat(path);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw openFailure(path, error);
  }
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600).catch(
    (error: unknown) => Promise.reject(openFailure(path, error)),
  );
  try {
    await handle.writeFile(initial);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw openFailure(path, error);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function openShared(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw openFailure(path, error);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw inputError(`cannot use ${path}: it is not a regular file`, HINT);
  }
  return handle;
}

async function readWhole(handle: FileHandle): Promise<string> {
  const { size } = await handle.stat();
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(size), 0, size, 0);
  return buffer.subarray(0, bytesRead).toString('utf8');
}

async function rewriteInPlace(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  await handle.write(bytes, 0, bytes.length, 0);
  await handle.truncate(bytes.length);
  await handle.sync();
}

function openFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const what =
    code === 'ELOOP' ? 'it is a symbolic link' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
  return inputError(`cannot use ${path}: ${what}`, HINT);
}
