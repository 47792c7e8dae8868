/** The database password: from an environment variable, a file, or a prompt that does not echo. */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { inputError, usageError } from '../core/errors.js';
import type { Io } from './io.js';

export interface PasswordSources {
  readonly passwordEnv?: string;
  readonly passwordFile?: string;
}

export async function resolvePassword(io: Io, sources: PasswordSources, ask: boolean): Promise<string | undefined> {
  if (sources.passwordEnv && sources.passwordFile) throw usageError('give --password-env or --password-file, not both');
  if (sources.passwordEnv) {
    const value = io.env[sources.passwordEnv];
    if (value === undefined)
      throw usageError(
        `environment variable ${sources.passwordEnv} is not set`,
        `export ${sources.passwordEnv}=... first, or use --password-file.`,
      );
    return value;
  }
  if (sources.passwordFile) {
    try {
      return (await readFile(sources.passwordFile, 'utf8')).replace(/\r?\n$/, '');
    } catch {
      throw inputError(
        `cannot read --password-file ${sources.passwordFile}`,
        'Check the path and that the file is readable by you (and nobody else).',
      );
    }
  }
  if (!ask || !(io.stdin as { isTTY?: boolean }).isTTY) return undefined;
  return prompt(io, 'Password: ');
}

function prompt(io: Io, question: string): Promise<string> {
  io.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: io.stdin, output: silent, terminal: true });
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    }),
  );
}
