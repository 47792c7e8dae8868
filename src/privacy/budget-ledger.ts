/**
 * The privacy budget ledger: cumulative epsilon spent per target (a database and table, named by
 * what they are, not by how they were spelled), in a JSON file shared by every run on this
 * machine. A query reserves its epsilon in the same critical section, under the file lock, in
 * which it checks the budget, so concurrent runs cannot all pass the check; the reservation
 * becomes a spend when the query succeeded and is released when it failed. A reservation left by
 * a process that died keeps counting: a crash never gives budget back.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GesalpError, inputError } from '../core/errors.js';
import { withFileLock } from './file-lock.js';
import { readLedger, writeLedger, type LedgerFile, type TargetEntry } from './ledger-file.js';

/** A target's canonical key and its other names; any shared name makes two spellings one target. */
export interface TargetIdentity {
  readonly key: string;
  readonly aliases: readonly string[];
}

export interface Reserved {
  readonly id: string;
  /** Epsilon spent on the target before this query (finished queries only). */
  readonly spentBefore: number;
}

/** The entry for this target, merging every entry that shares one of its names (conservatively: spends add up). */
function entryFor(ledger: LedgerFile, identity: TargetIdentity): TargetEntry {
  const names = new Set([identity.key, ...identity.aliases]);
  const matching = Object.keys(ledger.targets).filter(
    (key) => names.has(key) || ledger.targets[key].aliases.some((a) => names.has(a)),
  );
  const merged: TargetEntry = { spent: 0, aliases: [], queries: [], reservations: [] };
  for (const key of matching) {
    const entry = ledger.targets[key];
    merged.spent += entry.spent;
    merged.aliases.push(key, ...entry.aliases);
    merged.queries.push(...entry.queries);
    merged.reservations.push(...entry.reservations);
    delete ledger.targets[key];
  }
  merged.aliases = [...new Set([...merged.aliases, ...identity.aliases])].filter((a) => a !== identity.key).sort();
  ledger.targets[identity.key] = merged;
  return merged;
}

const reservedTotal = (entry: TargetEntry) => entry.reservations.reduce((sum, r) => sum + r.epsilon, 0);

export async function spentEpsilon(path: string, identity: TargetIdentity): Promise<number> {
  return entryFor(await readLedger(path), identity).spent;
}

async function underLock<T>(path: string, action: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  return withFileLock(path, action);
}

/**
 * Checks that `epsilon` more fits under `budget` (when given) counting running queries'
 * reservations, and reserves it, in one critical section. Throws exit 5 when it does not fit.
 */
export async function reserveBudget(
  path: string,
  identity: TargetIdentity,
  epsilon: number,
  budget: number | undefined,
  fingerprint: string,
  at: Date,
): Promise<Reserved> {
  return underLock(path, async () => {
    const ledger = await readLedger(path);
    const entry = entryFor(ledger, identity);
    const reserved = reservedTotal(entry);
    if (budget !== undefined && entry.spent + reserved + epsilon > budget + 1e-12) {
      const running = reserved > 0 ? ` + ${round(reserved)} reserved by queries running now` : '';
      throw new GesalpError(
        'budget',
        `privacy budget exceeded for ${identity.key}: spent ${round(entry.spent)}${running} + this query ${round(epsilon)} > budget ${budget}`,
        'Lower --epsilon or --fraction, or agree a larger --budget with the data owner.',
      );
    }
    const id = randomUUID();
    entry.reservations.push({ id, at: at.toISOString(), epsilon, fingerprint });
    await writeLedger(path, ledger);
    return { id, spentBefore: entry.spent };
  });
}

function takeReservation(ledger: LedgerFile, id: string) {
  for (const entry of Object.values(ledger.targets)) {
    const index = entry.reservations.findIndex((r) => r.id === id);
    if (index >= 0) return { entry, reservation: entry.reservations.splice(index, 1)[0] };
  }
  return undefined;
}

/** Turns a reservation into a spend; returns the target's cumulative spend after it. */
export async function commitReservation(path: string, id: string): Promise<number> {
  return underLock(path, async () => {
    const ledger = await readLedger(path);
    const found = takeReservation(ledger, id);
    if (!found)
      throw inputError(
        `${path}: the reservation of this query disappeared from the budget ledger`,
        'Someone edited the ledger while the query ran; restore it from a backup.',
      );
    const { entry, reservation } = found;
    entry.spent += reservation.epsilon;
    entry.queries.push({ at: reservation.at, epsilon: reservation.epsilon, fingerprint: reservation.fingerprint });
    await writeLedger(path, ledger);
    return entry.spent;
  });
}

/** Gives a failed query's reservation back. */
export async function releaseReservation(path: string, id: string): Promise<void> {
  await underLock(path, async () => {
    const ledger = await readLedger(path);
    if (takeReservation(ledger, id)) await writeLedger(path, ledger);
  });
}

const round = (x: number) => Number(x.toPrecision(6));
