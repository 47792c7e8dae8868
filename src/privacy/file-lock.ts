/** A lock file (created exclusively) around a read-modify-write of a shared file. */
import { open, rm } from 'node:fs/promises';
import { GesalpError } from '../core/errors.js';

export async function withFileLock<T>(path: string, action: () => Promise<T>, timeoutMs = 10000): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) {
        throw new GesalpError(
          'input',
          `${lock} is held by another gesalp process`,
          `Wait for it to finish, or delete ${lock} if no gesalp is running.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  try {
    return await action();
  } finally {
    await rm(lock, { force: true });
  }
}
