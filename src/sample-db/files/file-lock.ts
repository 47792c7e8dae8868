/** Lock files (created exclusively) around a read-modify-write of a shared file. Not reentrant. */
import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GesalpError, inputError } from '../../core/errors.js';

export const lockPathFor = (path: string): string => `${path}.lock`;

/**
 * The lock of a file by what it is, not how it is named: every name of one file (hard links
 * included, in any folder) takes this one lock. It lives in /tmp itself, not in $TMPDIR: two runs
 * given different TMPDIRs would otherwise lock different files and both pass the budget check.
 */
const LOCK_FOLDER = existsSync('/tmp') ? '/tmp' : tmpdir();
export const inodeLockPath = (dev: number, ino: number): string => join(LOCK_FOLDER, `gesalp-lock-${dev}-${ino}`);

/**
 * How long a run waits for another to release a lock before it gives up. Each holder keeps it for
 * milliseconds (a reservation, an audit line), but on a loaded machine a dozen runs queued behind
 * one another, each starting Node, waited past ten seconds: concurrent runs should queue, not fail.
 */
export const LOCK_WAIT_MS = 60_000;

/** Runs `action` holding the lock file `${path}.lock`. */
export const withFileLock = <T>(path: string, action: () => Promise<T>, timeoutMs = LOCK_WAIT_MS): Promise<T> =>
  withLockFile(lockPathFor(path), action, timeoutMs);

/** Runs `action` holding `lock`, created exclusively (waiting up to `timeoutMs` for another holder). */
export async function withLockFile<T>(lock: string, action: () => Promise<T>, timeoutMs = LOCK_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // 'wx' is O_CREAT | O_EXCL: it fails on anything already there, a link included.
      const handle = await open(lock, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST')
        throw inputError(
          `cannot create the lock file ${lock}: ${code ?? String(error)}`,
          'Check that its folder exists and is writable by you.',
        );
      if (Date.now() > deadline) {
        throw new GesalpError(
          'input',
          `${lock} is held by another gesalp process`,
          `Wait for it to finish, or delete ${lock} if no gesalp is running.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
    }
  }
  try {
    return await action();
  } finally {
    await rm(lock, { force: true });
  }
}
