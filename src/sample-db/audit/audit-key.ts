/**
 * The key of a keyed (HMAC) audit chain, read from a file that only its owner may read: a key
 * others can read would let them rewrite the log and its chain undetected.
 */
import { readFile, stat } from 'node:fs/promises';
import { inputError, usageError } from '../../core/errors.js';

export const MIN_KEY_BYTES = 16;

export async function readAuditKey(path: string): Promise<Buffer> {
  let mode: number;
  let isFile: boolean;
  try {
    const info = await stat(path);
    mode = info.mode;
    isFile = info.isFile();
  } catch (error) {
    throw inputError(
      `cannot read the audit key ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      'Check the path of the key file.',
    );
  }
  if (!isFile) throw inputError(`the audit key ${path} is not a regular file`, 'Give the path of the key file.');
  if ((mode & 0o077) !== 0)
    throw usageError(
      `refusing the audit key ${path}: it is readable or writable by group or others (mode ${(mode & 0o777).toString(8).padStart(3, '0')})`,
      `Restrict it to its owner: chmod 600 ${path}.`,
    );
  // A key typed into an editor ends with a newline that is not part of it.
  const bytes = Buffer.from((await readFile(path)).toString('latin1').replace(/\r?\n$/, ''), 'latin1');
  if (bytes.length < MIN_KEY_BYTES)
    throw usageError(
      `the audit key ${path} is shorter than ${MIN_KEY_BYTES} bytes`,
      `Make one with: head -c 32 /dev/urandom > ${path} && chmod 600 ${path}.`,
    );
  return bytes;
}
