/**
 * Writes a file whole or not at all: a temporary file beside the target, then a rename. The one
 * helper for every atomic write, whole or streamed. The temporary name is unpredictable (128
 * random bits) and created exclusively without following links (O_CREAT | O_EXCL | O_NOFOLLOW),
 * so a link planted at the temporary path cannot redirect the write into someone else's file;
 * the rename replaces the target's directory entry, never a file a link at the target points to.
 */
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../errors.js';

/** A file being written: write() as often as needed, then commit() to put it in place, or abort(). */
export interface AtomicFile {
  write(data: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const FLUSH_BYTES = 1 << 16;
const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(16).toString('hex')}.tmp`);
}

function writeFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC', 'EDQUOT'].includes(code))
    return inputError(`cannot write ${path}: ${code}`, 'Check that the folder exists and is writable.');
  return error as Error;
}

/** Opens a fresh temporary file beside `path`; nothing appears at `path` until commit(). */
export async function openAtomicFile(path: string, mode = 0o666): Promise<AtomicFile> {
  const temporary = temporaryPathFor(path);
  let handle: FileHandle;
  try {
    handle = await open(temporary, CREATE_EXCLUSIVE, mode);
  } catch (error) {
    throw writeFailure(path, error);
  }
  // Small writes (a CSV row each) are gathered into chunks of FLUSH_BYTES, one system call each.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await handle.writeFile(chunk);
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const abort = async () => {
    await close().catch(() => undefined);
    await rm(temporary, { force: true });
  };
  return {
    write: async (data) => {
      try {
        const bytes =
          typeof data === 'string'
            ? Buffer.from(data, 'utf8')
            : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        if (bytes.length >= FLUSH_BYTES) {
          // Large data goes out at once, uncopied (the caller awaits this write before reusing it).
          await flush();
          await handle.writeFile(bytes);
          return;
        }
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= FLUSH_BYTES) await flush();
      } catch (error) {
        await abort();
        throw writeFailure(path, error);
      }
    },
    commit: async () => {
      try {
        await flush();
        await handle.sync();
        await close();
        await rename(temporary, path);
      } catch (error) {
        await abort();
        throw writeFailure(path, error);
      }
    },
    abort,
  };
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const file = await openAtomicFile(path);
  await file.write(data);
  await file.commit();
}

/**
 * An atomic file that is opened (its temporary file created) at the first write or commit, so
 * that a run which fails or is stopped before writing leaves nothing behind, not even the
 * temporary file; abort() before any write does nothing.
 */
export function lazyAtomicFile(path: string, mode = 0o666): AtomicFile {
  let file: Promise<AtomicFile> | undefined;
  let committed = false;
  const opened = () => (file ??= openAtomicFile(path, mode));
  return {
    write: async (data) => (await opened()).write(data),
    commit: async () => {
      await (await opened()).commit();
      committed = true;
    },
    abort: async () => {
      if (file && !committed) await (await file.catch(() => undefined))?.abort();
    },
  };
}
