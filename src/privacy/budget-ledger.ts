/**
 * The privacy budget ledger: cumulative epsilon spent per database and table, in a JSON file
 * shared by every run on this machine. A query is checked against the budget before any data
 * is read and recorded only after it succeeded.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GesalpError, inputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { withFileLock } from './file-lock.js';

interface LedgerFile {
  readonly version: 1;
  readonly targets: Record<string, { spent: number; queries: { at: string; epsilon: number; fingerprint: string }[] }>;
}

async function readLedger(path: string): Promise<LedgerFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { version: 1, targets: {} };
  }
  try {
    const parsed = JSON.parse(text) as LedgerFile;
    if (parsed.version !== 1 || typeof parsed.targets !== 'object') throw new Error('shape');
    return parsed;
  } catch {
    throw inputError(
      `${path} is not a gesalp budget ledger`,
      'Point --ledger at the ledger file gesalp wrote, or move the damaged file away.',
    );
  }
}

export async function spentEpsilon(path: string, target: string): Promise<number> {
  return (await readLedger(path)).targets[target]?.spent ?? 0;
}

/** Throws (exit 5) when spending `epsilon` more on `target` would pass `budget`. */
export async function checkBudget(path: string, target: string, epsilon: number, budget: number): Promise<number> {
  const spent = await spentEpsilon(path, target);
  if (spent + epsilon > budget + 1e-12) {
    throw new GesalpError(
      'budget',
      `privacy budget exceeded for ${target}: spent ${round(spent)} + this query ${round(epsilon)} > budget ${budget}`,
      'Lower --epsilon or --fraction, or agree a larger --budget with the data owner.',
    );
  }
  return spent;
}

export async function recordSpend(
  path: string,
  target: string,
  epsilon: number,
  fingerprint: string,
  at: Date,
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  return withFileLock(path, async () => {
    const ledger = await readLedger(path);
    const entry = ledger.targets[target] ?? { spent: 0, queries: [] };
    entry.spent += epsilon;
    entry.queries.push({ at: at.toISOString(), epsilon, fingerprint });
    ledger.targets[target] = entry;
    await writeFileAtomic(path, `${JSON.stringify(ledger, null, 2)}\n`);
    return entry.spent;
  });
}

const round = (x: number) => Number(x.toPrecision(6));
