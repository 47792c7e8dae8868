/**
 * The budget ledger's file: read and checked field by field against the expected types. A ledger
 * that does not parse exactly is refused (exit 3, naming the file), never coerced: a spend written
 * as text, negative or missing would otherwise let queries through.
 */
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { readStateFile } from './state-file.js';

export interface QueryRecord {
  readonly at: string;
  readonly epsilon: number;
  readonly fingerprint: string;
}

/** Epsilon set aside by a query that passed the budget check and has not finished yet. */
export interface Reservation extends QueryRecord {
  readonly id: string;
}

export interface TargetEntry {
  spent: number;
  /** Other names of the same target (a SQLite file's device and inode, a server's own id). */
  aliases: string[];
  queries: QueryRecord[];
  reservations: Reservation[];
}

export interface LedgerFile {
  readonly version: 1;
  readonly targets: Record<string, TargetEntry>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSpend = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function checkQuery(v: unknown, where: string, reservation: boolean): string | undefined {
  if (!isRecord(v)) return `${where} is not an object`;
  if (!isText(v.at) || Number.isNaN(Date.parse(v.at))) return `${where}.at is not a timestamp`;
  if (!isSpend(v.epsilon) || v.epsilon === 0) return `${where}.epsilon is not a positive number`;
  if (typeof v.fingerprint !== 'string') return `${where}.fingerprint is not text`;
  if (reservation && !isText(v.id)) return `${where}.id is not text`;
  return undefined;
}

function checkEntry(v: unknown, where: string): string | undefined {
  if (!isRecord(v)) return `${where} is not an object`;
  if (!isSpend(v.spent)) return `${where}.spent is not a number >= 0`;
  if (v.aliases !== undefined && !(Array.isArray(v.aliases) && v.aliases.every(isText)))
    return `${where}.aliases is not a list of names`;
  for (const [field, reservation] of [
    ['queries', false],
    ['reservations', true],
  ] as const) {
    const list = v[field];
    if (list === undefined && field === 'reservations') continue;
    if (!Array.isArray(list)) return `${where}.${field} is not a list`;
    for (let i = 0; i < list.length; i++) {
      const problem = checkQuery(list[i], `${where}.${field}[${i}]`, reservation);
      if (problem) return problem;
    }
  }
  const total = (v.queries as QueryRecord[]).reduce((sum, q) => sum + q.epsilon, 0);
  if (Math.abs(total - v.spent) > 1e-9 * (1 + total))
    return `${where}.spent (${v.spent}) is not the sum of its queries (${total})`;
  return undefined;
}

/** The problem with a parsed ledger, or undefined when it has exactly the expected shape. */
export function ledgerProblem(parsed: unknown): string | undefined {
  if (!isRecord(parsed)) return 'it is not a JSON object';
  if (parsed.version !== 1) return `version is ${JSON.stringify(parsed.version)}, not 1`;
  if (!isRecord(parsed.targets)) return 'targets is not an object';
  for (const [key, entry] of Object.entries(parsed.targets)) {
    const problem = checkEntry(entry, `targets[${JSON.stringify(key)}]`);
    if (problem) return problem;
  }
  return undefined;
}

export async function readLedger(path: string): Promise<LedgerFile> {
  const ledger = await readStateFile<LedgerFile>(path, {
    what: 'budget ledger',
    empty: () => ({ version: 1, targets: {} }),
    problem: ledgerProblem,
    hint: 'Restore the ledger from a backup; it is never repaired automatically, since a wrong spend would let queries through.',
  });
  for (const entry of Object.values(ledger.targets)) {
    entry.aliases ??= [];
    entry.reservations ??= [];
  }
  return ledger;
}

export async function writeLedger(path: string, ledger: LedgerFile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(ledger, null, 2)}\n`);
}
