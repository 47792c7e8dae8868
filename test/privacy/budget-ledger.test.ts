import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commitReservation,
  releaseReservation,
  reserveBudget,
  spentEpsilon,
  type TargetIdentity,
} from '../../src/privacy/budget-ledger.js';
import { GesalpError } from '../../src/core/errors.js';

const T: TargetIdentity = { key: 'pg://10.0.0.1:5432/db/public.t', aliases: ['pg-server:77/db/public.t'] };
const OTHER: TargetIdentity = { key: 'pg://10.0.0.1:5432/db/public.other', aliases: [] };
const now = new Date('2026-01-01T00:00:00Z');

describe('budget ledger', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-ledger-'));
    path = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const spend = async (identity: TargetIdentity, epsilon: number, budget?: number) => {
    const { id } = await reserveBudget(path, identity, epsilon, budget, 'fp', now);
    return commitReservation(path, id);
  };

  it('accumulates spend per target and refuses with exit 5 past the budget', async () => {
    await spend(T, 0.6);
    await spend(T, 0.3);
    await spend(OTHER, 5);
    expect(await spentEpsilon(path, T)).toBeCloseTo(0.9, 12);
    const error = (await reserveBudget(path, T, 0.2, 1, 'x', now).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(/spent 0\.9 \+ this query 0\.2 > budget 1/);
    expect((await reserveBudget(path, T, 0.1, 1, 'x', now)).spentBefore).toBeCloseTo(0.9, 12);
  });

  it('counts running reservations against the budget and gives a failed query its reservation back', async () => {
    const first = await reserveBudget(path, T, 1, 2, 'a', now);
    await reserveBudget(path, T, 1, 2, 'b', now);
    const refused = (await reserveBudget(path, T, 1, 2, 'c', now).catch((e: unknown) => e)) as GesalpError;
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toMatch(/spent 0 \+ 2 reserved by queries running now \+ this query 1 > budget 2/);
    await releaseReservation(path, first.id);
    await expect(reserveBudget(path, T, 1, 2, 'c', now)).resolves.toBeDefined();
  });

  it('finds a target by any of its names, so another spelling of one target shares its budget', async () => {
    await spend(T, 1);
    // Reached through another address, the server's own id still names it.
    const viaOtherAddress: TargetIdentity = { key: 'pg://127.0.0.1:5432/db/public.t', aliases: T.aliases };
    expect(await spentEpsilon(path, viaOtherAddress)).toBe(1);
    await spend(viaOtherAddress, 0.5);
    expect(await spentEpsilon(path, T)).toBe(1.5);
    expect(await spentEpsilon(path, OTHER)).toBe(0);
  });

  it.each([
    ['spent as text', { spent: 'abc', queries: [] }, /spent is not a number >= 0/],
    ['a negative spend', { spent: -5, queries: [] }, /spent is not a number >= 0/],
    ['a null spend', { spent: null, queries: [] }, /spent is not a number >= 0/],
    ['queries that are not a list', { spent: 0, queries: 'none' }, /queries is not a list/],
    [
      'a query with epsilon as text',
      { spent: 1, queries: [{ at: '2026-01-01T00:00:00Z', epsilon: '1', fingerprint: 'x' }] },
      /epsilon is not a positive number/,
    ],
    [
      'a spend below its queries',
      { spent: 0.1, queries: [{ at: '2026-01-01T00:00:00Z', epsilon: 3, fingerprint: 'x' }] },
      /is not the sum of its queries/,
    ],
    [
      'a reservation with no id',
      { spent: 0, queries: [], reservations: [{ at: '2026-01-01', epsilon: 1, fingerprint: '' }] },
      /id is not text/,
    ],
  ])(
    'refuses (exit 3, naming the file) a ledger with %s, and never lets the query through',
    async (_, entry, reason) => {
      writeFileSync(path, JSON.stringify({ version: 1, targets: { [T.key]: entry } }));
      const before = readFileSync(path, 'utf8');
      const error = (await reserveBudget(path, T, 0.1, 1000, 'x', now).catch((e: unknown) => e)) as GesalpError;
      expect(error).toBeInstanceOf(GesalpError);
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(reason);
      expect(readFileSync(path, 'utf8')).toBe(before);
    },
  );

  it.each([
    ['not JSON', '{"version":1,'],
    ['a list', '[]'],
    ['another version', '{"version":2,"targets":{}}'],
    ['targets as a list', '{"version":1,"targets":[]}'],
  ])('refuses (exit 3) a ledger that is %s', async (_, text) => {
    writeFileSync(path, text);
    await expect(reserveBudget(path, T, 0.1, 1, 'x', now)).rejects.toMatchObject({ exitCode: 3 });
  });
});
