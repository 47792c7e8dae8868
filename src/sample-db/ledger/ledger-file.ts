/**
 * The budget ledger's file: read and checked field by field against the expected types. A ledger
 * that does not parse exactly is refused (exit 3, naming the file), never coerced: a spend written
 * as text, negative, missing or given twice would otherwise let queries through. Epsilon and delta
 * are both kept; a ledger written before delta was recorded reads as having spent none.
 */
import { parseStateText } from '../files/state-file.js';

export interface QueryRecord {
  readonly at: string;
  readonly epsilon: number;
  readonly delta: number;
  readonly fingerprint: string;
}

/** Epsilon and delta set aside by a query that passed the budget check and has not finished yet. */
export interface Reservation extends QueryRecord {
  readonly id: string;
}

export interface TargetEntry {
  spent: number;
  spent_delta: number;
  /** Other names of the same target (a SQLite file's device and inode, a server's own id). */
  aliases: string[];
  queries: QueryRecord[];
  reservations: Reservation[];
}

export interface LedgerFile {
  readonly version: 1;
  readonly targets: Record<string, TargetEntry>;
}

export const EMPTY_LEDGER = `${JSON.stringify({ version: 1, targets: {} }, null, 2)}\n`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSpend = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function checkQuery(v: unknown, where: string, reservation: boolean): string | undefined {
  if (!isRecord(v)) return `${where} is not an object`;
  if (!isText(v.at) || Number.isNaN(Date.parse(v.at))) return `${where}.at is not a timestamp`;
  if (!isSpend(v.epsilon) || v.epsilon === 0) return `${where}.epsilon is not a positive number`;
  if (v.delta !== undefined && !(isSpend(v.delta) && v.delta < 1)) return `${where}.delta is not a number in [0, 1)`;
  if (typeof v.fingerprint !== 'string') return `${where}.fingerprint is not text`;
  if (reservation && !isText(v.id)) return `${where}.id is not text`;
  return undefined;
}

const sum = (list: readonly Record<string, unknown>[], field: 'epsilon' | 'delta') =>
  list.reduce((total, q) => total + ((q[field] as number | undefined) ?? 0), 0);

function checkEntry(v: unknown, where: string): string | undefined {
  if (!isRecord(v)) return `${where} is not an object`;
  if (!isSpend(v.spent)) return `${where}.spent is not a number >= 0`;
  if (v.spent_delta !== undefined && !isSpend(v.spent_delta)) return `${where}.spent_delta is not a number >= 0`;
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
  const queries = v.queries as Record<string, unknown>[];
  const total = sum(queries, 'epsilon');
  if (Math.abs(total - v.spent) > 1e-9 * (1 + total))
    return `${where}.spent (${v.spent}) is not the sum of its queries (${total})`;
  const deltas = sum(queries, 'delta');
  const spentDelta = (v.spent_delta as number | undefined) ?? 0;
  if (Math.abs(deltas - spentDelta) > 1e-9 * deltas + 1e-300)
    return `${where}.spent_delta (${spentDelta}) is not the sum of its queries' delta (${deltas})`;
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

/** The ledger in `text`, read from `path`; optional fields filled in. */
export function parseLedger(path: string, text: string): LedgerFile {
  const ledger = parseStateText<LedgerFile>(path, text, {
    what: 'budget ledger',
    empty: () => ({ version: 1, targets: {} }),
    problem: ledgerProblem,
    hint: 'Restore the ledger from a backup; it is never repaired automatically, since a wrong spend would let queries through.',
  });
  for (const entry of Object.values(ledger.targets)) {
    entry.aliases ??= [];
    entry.reservations ??= [];
    entry.spent_delta ??= 0;
    const fill = <Q extends QueryRecord>(q: Q): Q => ({ ...q, delta: q.delta ?? 0 });
    entry.queries = entry.queries.map(fill);
    entry.reservations = entry.reservations.map(fill);
  }
  return ledger;
}

export const ledgerText = (ledger: LedgerFile): string => `${JSON.stringify(ledger, null, 2)}\n`;
