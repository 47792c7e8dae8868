/**
 * Opening the audit log: a regular file, reached without following a symbolic link (a link
 * planted at the log's path would otherwise send the lines into another file). Anything else
 * (a dangling link, a folder, /dev/null, a device) is refused with exit 3 and says what it is.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { inputError } from '../../core/errors.js';

const HINT = 'Give the audit log the path of a regular file (or of one to create) in a writable folder.';

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function openFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const what =
    code === 'ELOOP'
      ? 'it is a symbolic link (the audit log is never reached through one)'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENOENT'
          ? 'it or its folder does not exist'
          : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
            ? `it is not writable (${code})`
            : String(code ?? error);
  return inputError(`cannot use the audit log ${path}: ${what}`, HINT);
}

/** Refuses, before any work, a path the log could not be appended to. A missing file is fine. */
export async function checkAuditLogPath(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw openFailure(path, error);
  }
  if (!info.isFile()) throw inputError(`cannot use the audit log ${path}: it is ${kindOf(info)}`, HINT);
}

/** The log opened for reading and appending (created 0600 when missing), or for reading only. */
export async function openAuditFile(path: string, append: boolean): Promise<FileHandle> {
  const flags = append
    ? constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW
    : constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(path, flags, 0o600);
  } catch (error) {
    throw openFailure(path, error);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw inputError(`cannot use the audit log ${path}: it is ${kindOf(info)}`, HINT);
  }
  return handle;
}

/** The whole file's text, or only its last `tailBytes`. */
export async function readText(handle: FileHandle, tailBytes?: number): Promise<string> {
  const { size } = await handle.stat();
  const length = tailBytes === undefined ? size : Math.min(size, tailBytes);
  if (length === 0) return '';
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, size - length);
  return buffer.subarray(0, bytesRead).toString('utf8');
}

/** The file's first `bytes` bytes (or all of it, when shorter). */
export async function readHead(handle: FileHandle, bytes: number): Promise<string> {
  const { size } = await handle.stat();
  const length = Math.min(size, bytes);
  if (length === 0) return '';
  const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
  return buffer.subarray(0, bytesRead).toString('utf8');
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
