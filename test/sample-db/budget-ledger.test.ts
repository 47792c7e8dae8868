import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commitReservation,
  releaseReservation,
  reserveBudget,
  spent,
  type Limits,
  type TargetIdentity,
} from '../../src/sample-db/ledger/budget-ledger.js';
import { GesalpError } from '../../src/core/errors.js';

const T: TargetIdentity = { key: 'pg://10.0.0.1:5432/db/public.t', aliases: ['pg-server:77/db/public.t'] };
const OTHER: TargetIdentity = { key: 'pg://10.0.0.1:5432/db/public.other', aliases: [] };
const now = new Date('2026-01-01T00:00:00Z');
const limits = (epsilon?: number, delta = 1e-6): Limits => ({ epsilon, delta });
const spentEpsilon = async (path: string, identity: TargetIdentity) => (await spent(path, identity)).epsilon;

describe('budget ledger', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-ledger-'));
    path = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const spend = async (identity: TargetIdentity, epsilon: number, budget?: number) => {
    const { id } = await reserveBudget(path, [identity], { epsilon, delta: 0 }, limits(budget), 'fp', now);
    return commitReservation(path, id);
  };

  it('accumulates spend per target and refuses with exit 5 past the budget', async () => {
    await spend(T, 0.6);
    await spend(T, 0.3);
    await spend(OTHER, 5);
    expect(await spentEpsilon(path, T)).toBeCloseTo(0.9, 12);
    const error = (await reserveBudget(path, [T], { epsilon: 0.2, delta: 0 }, limits(1), 'x', now).catch(
      (e: unknown) => e,
    )) as GesalpError;
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(/spent 0\.9 \+ this query 0\.2 > budget 1/);
    expect(
      (await reserveBudget(path, [T], { epsilon: 0.1, delta: 0 }, limits(1), 'x', now)).before[0].epsilon,
    ).toBeCloseTo(0.9, 12);
  });

  it('counts running reservations against the budget and gives a failed query its reservation back', async () => {
    const first = await reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(2), 'a', now);
    await reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(2), 'b', now);
    const refused = (await reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(2), 'c', now).catch(
      (e: unknown) => e,
    )) as GesalpError;
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toMatch(/spent 0 \+ 2 reserved by queries running now \+ this query 1 > budget 2/);
    await releaseReservation(path, first.id);
    await expect(reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(2), 'c', now)).resolves.toBeDefined();
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
      const error = (await reserveBudget(path, [T], { epsilon: 0.1, delta: 0 }, limits(1000), 'x', now).catch(
        (e: unknown) => e,
      )) as GesalpError;
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
    await expect(reserveBudget(path, [T], { epsilon: 0.1, delta: 0 }, limits(1), 'x', now)).rejects.toMatchObject({
      exitCode: 3,
    });
  });

  it('composes delta as well as epsilon, and refuses (exit 5) past the delta budget', async () => {
    const cost = { epsilon: 0.1, delta: 4e-7 };
    for (let i = 0; i < 2; i++)
      await commitReservation(path, (await reserveBudget(path, [T], cost, limits(), 'd', now)).id);
    expect(await spent(path, T)).toEqual({ epsilon: expect.closeTo(0.2, 12), delta: expect.closeTo(8e-7, 20) });
    const error = (await reserveBudget(path, [T], cost, limits(), 'd', now).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(5);
    expect(error.message).toMatch(
      /delta budget exceeded .* spent delta 8e-7 \+ this query 4e-7 > delta budget 0\.000001/,
    );
    // A larger delta budget lets it through; a query that spends no delta is never refused on delta.
    await expect(reserveBudget(path, [T], cost, limits(undefined, 2e-6), 'd', now)).resolves.toBeDefined();
    await expect(reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(), 'e', now)).resolves.toBeDefined();
  });

  it('reserves on every table a query reads, or on none', async () => {
    await spend(OTHER, 1);
    const refused = await reserveBudget(path, [T, OTHER], { epsilon: 0.5, delta: 0 }, limits(1), 'v', now).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ exitCode: 5, message: expect.stringMatching(/public\.other/) });
    expect(JSON.parse(readFileSync(path, 'utf8')).targets[T.key]?.reservations ?? []).toEqual([]);
    const both = await reserveBudget(path, [T, OTHER], { epsilon: 0.5, delta: 0 }, limits(2), 'v', now);
    expect(await commitReservation(path, both.id)).toEqual({
      [T.key]: { epsilon: 0.5, delta: 0 },
      [OTHER.key]: { epsilon: 1.5, delta: 0 },
    });
  });

  it('refuses (exit 3) a ledger that names one target twice, instead of keeping the last copy', async () => {
    const entry = (spentValue: number) =>
      `{"spent": ${spentValue}, "queries": [{"at": "2026-01-01T00:00:00Z", "epsilon": ${spentValue}, "fingerprint": "x"}]}`;
    writeFileSync(path, `{"version": 1, "targets": {"${T.key}": ${entry(2.5)}, "${T.key}": ${entry(0.5)}}}`);
    const before = readFileSync(path, 'utf8');
    const error = await reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(3), 'x', now).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/the key "targets"\."pg:.*public\.t" occurs twice/),
    });
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('keeps one file, and one budget, for every hard link of the ledger across rewrites', async () => {
    await spend(T, 1);
    const other = join(dir, 'other-name.json');
    linkSync(path, other);
    const inode = statSync(path).ino;
    await commitReservation(other, (await reserveBudget(other, [T], { epsilon: 1, delta: 0 }, limits(3), 'h', now)).id);
    await commitReservation(path, (await reserveBudget(path, [T], { epsilon: 1, delta: 0 }, limits(3), 'h', now)).id);
    expect(statSync(path).ino).toBe(inode);
    expect(statSync(other).ino).toBe(inode);
    expect(await spentEpsilon(other, T)).toBe(3);
    await expect(reserveBudget(other, [T], { epsilon: 1, delta: 0 }, limits(3), 'h', now)).rejects.toMatchObject({
      exitCode: 5,
    });
  });

  it('reads a ledger written before delta was recorded as having spent no delta', async () => {
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        targets: { [T.key]: { spent: 1, queries: [{ at: '2026-01-01T00:00:00Z', epsilon: 1, fingerprint: 'x' }] } },
      }),
    );
    expect(await spent(path, T)).toEqual({ epsilon: 1, delta: 0 });
  });
});
