/**
 * The privacy budget ledger: cumulative epsilon and delta spent per target (a database and table,
 * named by what they are, not by how they were spelled), in a JSON file shared by every run on
 * this machine. A query reserves its cost in the same critical section, under the file's lock, in
 * which it checks the budgets, so concurrent runs cannot all pass the check; the reservation
 * becomes a spend when the query succeeded and is released when it failed. A reservation left by
 * a process that died keeps counting: a crash never gives budget back. A query that reads several
 * targets (a view over tables) reserves on all of them or on none.
 */
import { randomUUID } from 'node:crypto';
import { inputError, optionError } from '../../core/errors.js';
import { EMPTY_LEDGER, ledgerText, parseLedger, type LedgerFile, type TargetEntry } from './ledger-file.js';
import { withSharedFile } from '../files/shared-file.js';

/** A target's canonical key and its other names; any shared name makes two spellings one target. */
export interface TargetIdentity {
  readonly key: string;
  readonly aliases: readonly string[];
}

/** What one query costs every target it reads. */
export interface Cost {
  readonly epsilon: number;
  readonly delta: number;
}

export interface Limits {
  /** Cumulative epsilon per target; none: epsilon is recorded, not limited. */
  readonly epsilon?: number;
  /** Cumulative delta per target. */
  readonly delta: number;
}

/** SPEC section 7: what one target may spend on delta unless the user says otherwise. */
export const DEFAULT_DELTA_BUDGET = 1e-6;

export interface TargetSpend {
  readonly key: string;
  /** Epsilon and delta spent on the target before this query (finished queries only). */
  readonly epsilon: number;
  readonly delta: number;
}

export interface Reserved {
  readonly id: string;
  readonly before: TargetSpend[];
}

/** The entry for this target, merging every entry that shares one of its names (conservatively: spends add up). */
function entryFor(ledger: LedgerFile, identity: TargetIdentity): TargetEntry {
  const names = new Set([identity.key, ...identity.aliases]);
  const matching = Object.keys(ledger.targets).filter(
    (key) => names.has(key) || ledger.targets[key].aliases.some((a) => names.has(a)),
  );
  const merged: TargetEntry = { spent: 0, spent_delta: 0, aliases: [], queries: [], reservations: [] };
  for (const key of matching) {
    const entry = ledger.targets[key];
    merged.spent += entry.spent;
    merged.spent_delta += entry.spent_delta;
    merged.aliases.push(key, ...entry.aliases);
    merged.queries.push(...entry.queries);
    merged.reservations.push(...entry.reservations);
    delete ledger.targets[key];
  }
  merged.aliases = [...new Set([...merged.aliases, ...identity.aliases])].filter((a) => a !== identity.key).sort();
  ledger.targets[identity.key] = merged;
  return merged;
}

const reserved = (entry: TargetEntry, field: 'epsilon' | 'delta') =>
  entry.reservations.reduce((sum, r) => sum + r[field], 0);

/** Runs `action` on the ledger under its lock; `save` writes it back. */
function withLedger<T>(
  path: string,
  action: (ledger: LedgerFile, save: () => Promise<void>) => Promise<T>,
): Promise<T> {
  return withSharedFile(path, EMPTY_LEDGER, (text, rewrite) => {
    const ledger = parseLedger(path, text);
    return action(ledger, () => rewrite(ledgerText(ledger)));
  });
}

export async function spent(path: string, identity: TargetIdentity): Promise<Cost> {
  return withLedger(path, async (ledger) => {
    const entry = entryFor(ledger, identity);
    return { epsilon: entry.spent, delta: entry.spent_delta };
  });
}

/**
 * Checks that `cost` more fits every target's budgets, counting running queries' reservations,
 * and reserves it on each, in one critical section. Throws exit 5 when it does not fit one.
 */
export async function reserveBudget(
  path: string,
  identities: readonly TargetIdentity[],
  cost: Cost,
  limits: Limits,
  fingerprint: string,
  at: Date,
): Promise<Reserved> {
  return withLedger(path, async (ledger, save) => {
    const entries = identities.map((identity) => ({ identity, entry: entryFor(ledger, identity) }));
    for (const { identity, entry } of entries) refuseOverBudget(identity, entry, cost, limits);
    const id = randomUUID();
    for (const { entry } of entries)
      entry.reservations.push({ id, at: at.toISOString(), epsilon: cost.epsilon, delta: cost.delta, fingerprint });
    await save();
    return {
      id,
      before: entries.map(({ identity, entry }) => ({
        key: identity.key,
        epsilon: entry.spent,
        delta: entry.spent_delta,
      })),
    };
  });
}

function refuseOverBudget(identity: TargetIdentity, entry: TargetEntry, cost: Cost, limits: Limits): void {
  const running = (field: 'epsilon' | 'delta') => {
    const r = reserved(entry, field);
    return r > 0 ? ` + ${round(r)} reserved by queries running now` : '';
  };
  if (limits.epsilon !== undefined && entry.spent + reserved(entry, 'epsilon') + cost.epsilon > limits.epsilon + 1e-12)
    throw optionError(
      'budget',
      'budget',
      `privacy budget exceeded for ${identity.key}: spent ${round(entry.spent)}${running('epsilon')} + this query ${round(cost.epsilon)} > budget ${limits.epsilon}`,
      'Lower {epsilon} or {fraction}, or agree a larger {budget} with the data owner.',
      ['epsilon', 'fraction'],
    );
  if (cost.delta > 0 && entry.spent_delta + reserved(entry, 'delta') + cost.delta > limits.delta * (1 + 1e-9))
    throw optionError(
      'budget',
      'delta_budget',
      `delta budget exceeded for ${identity.key}: spent delta ${round(entry.spent_delta)}${running('delta')} + this query ${round(cost.delta)} > delta budget ${limits.delta}`,
      'Give a smaller {delta} (amplification then charges a little more epsilon), declare the domains instead of estimating them, or agree a larger {delta_budget} with the data owner.',
      ['delta'],
    );
}

/** The reservations of query `id`, taken off every entry that holds one. */
function takeReservations(ledger: LedgerFile, id: string) {
  const taken = [];
  for (const [key, entry] of Object.entries(ledger.targets)) {
    const index = entry.reservations.findIndex((r) => r.id === id);
    if (index >= 0) taken.push({ key, entry, reservation: entry.reservations.splice(index, 1)[0] });
  }
  return taken;
}

/** Turns a reservation into a spend on every target it was made on; returns each target's spend after it, by key. */
export async function commitReservation(path: string, id: string): Promise<Record<string, Cost>> {
  return withLedger(path, async (ledger, save) => {
    const taken = takeReservations(ledger, id);
    if (!taken.length)
      throw inputError(
        `${path}: the reservation of this query disappeared from the budget ledger`,
        'Someone edited the ledger while the query ran; restore it from a backup.',
      );
    for (const { entry, reservation } of taken) {
      entry.spent += reservation.epsilon;
      entry.spent_delta += reservation.delta;
      const { id: _, ...query } = reservation;
      entry.queries.push(query);
    }
    await save();
    return Object.fromEntries(taken.map(({ key, entry }) => [key, { epsilon: entry.spent, delta: entry.spent_delta }]));
  });
}

/** Gives a failed query's reservations back. */
export async function releaseReservation(path: string, id: string): Promise<void> {
  await withLedger(path, async (ledger, save) => {
    if (takeReservations(ledger, id).length) await save();
  });
}

const round = (x: number) => Number(x.toPrecision(6));

/** A committed reservation as the metadata and the audit log record it: each target's spend before and after the read. */
export function budgetRecord(reserved: Reserved, after: Record<string, Cost>, limits: Limits) {
  return {
    limit: limits.epsilon ?? null,
    delta_limit: limits.delta,
    targets: reserved.before.map((b) => ({
      key: b.key,
      spent_before: b.epsilon,
      spent_after: after[b.key]?.epsilon ?? null,
      delta_spent_before: b.delta,
      delta_spent_after: after[b.key]?.delta ?? null,
    })),
  };
}
