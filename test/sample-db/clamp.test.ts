/**
 * clamp (issue 28 item 13) through sampleDb on every engine: clamped releases stay inside the
 * bounds, declared or estimated (and then released), unclamped ones do not; the charge is the same,
 * since clamping is post-processing; the result carries each column's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleDb, type SampleDbRequest } from '../../src/sample-db/sample-db.js';
import { availableEngines, type Engine } from '../helpers/engines.js';

const { engines, skipped } = availableEngines();

interface Budget {
  targets: { spent_after: number; delta_spent_after: number }[];
}

describe('sampleDb with clamp', () => {
  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (_, engine: Engine) => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-clamp-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    let runs = 0;
    /** One query on a ledger and audit log of its own, so each charge can be read alone. */
    const run = async (overrides: Partial<SampleDbRequest>) => {
      let csv = '';
      const n = runs++;
      const result = await sampleDb(
        {
          connection: { client: engine.client, connection: engine.connection, password: engine.password },
          table: 'patient_records',
          columns: ['age', 'diagnosis'],
          fraction: 0.05,
          epsilon: 1,
          sensitive: ['age', 'diagnosis'],
          bounds: { age: [0, 110] },
          domains: { diagnosis: ['asthma', 'diabetes', 'hypertension'] },
          timeoutMs: 60000,
          auditLog: join(dir, `audit-${n}.jsonl`),
          ledger: join(dir, `ledger-${n}.json`),
          user: 'test',
          ...overrides,
        },
        { write: (text) => void (csv += text) },
      );
      const ages = csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split(',')[0]));
      return { ages, result, privacy: result.metadata.privacy as Record<string, unknown> };
    };
    const outside = (ages: number[], [lo, hi]: readonly [number, number]) =>
      ages.filter((a) => a < lo || a > hi).length;

    it('keeps clamped releases inside declared bounds, where unclamped ones leave them, for the same charge', async () => {
      const plain = await run({});
      const clamped = await run({ clamp: true });
      // About 1,000 rows each; unclamped, at least 78 % leave 0..110 (scale 220): never none.
      expect(plain.ages.length).toBeGreaterThan(500);
      expect(outside(plain.ages, [0, 110]) / plain.ages.length).toBeGreaterThan(0.6);
      expect(outside(clamped.ages, [0, 110])).toBe(0);
      // Post-processing: the same epsilon and delta charged to the ledger.
      const charge = (r: typeof plain) => {
        const target = (r.result.metadata.budget as Budget).targets[0];
        return [r.privacy.effective_epsilon, r.privacy.effective_delta, target.spent_after, target.delta_spent_after];
      };
      expect(charge(clamped)).toEqual(charge(plain));
      expect(plain.privacy.clamp).toBe(false);
      expect(clamped.privacy.clamp).toBe(true);
      expect(clamped.result.columns[0]).toMatchObject({ name: 'age', scale: 220, clamp: true, boundsFrom: 'declared' });
      expect(clamped.result.columns[1]).toMatchObject({ name: 'diagnosis', categories: 4 });
      expect(clamped.result.columns[1]).not.toHaveProperty('clamp');
    });

    it('clamps to the bounds estimated at run time, which the metadata releases', async () => {
      const { ages, result } = await run({ clamp: true, bounds: {} });
      const [age] = result.columns;
      expect(age).toMatchObject({ mechanism: 'laplace', boundsFrom: 'estimated', clamp: true });
      const bounds = age.mechanism === 'laplace' ? age.bounds! : ([0, 0] as const);
      expect(bounds[1]).toBeGreaterThan(bounds[0]);
      expect(outside(ages, bounds)).toBe(0);
      // The figures are those of the estimated bounds.
      expect(age.mechanism === 'laplace' && age.scale).toBeCloseTo((bounds[1] - bounds[0]) / age.epsilon, 9);
      const columns = (result.metadata.privacy as { columns: Record<string, unknown>[] }).columns;
      expect(columns[0]).toMatchObject({ bounds, bounds_from: 'estimated', clamp: true });
    });

    it('gives a dry run the declared scale and leaves estimated ones to run time', async () => {
      const { result } = await run({ dryRun: true, bounds: {}, sensitive: ['age', 'diagnosis'] });
      expect(result.columns[0]).toMatchObject({ name: 'age', boundsFrom: 'estimated', scaleToRange: 1 / 0.45 });
      expect(result.columns[0]).not.toHaveProperty('scale');
      const declared = await run({ dryRun: true });
      expect(declared.result.columns[0]).toMatchObject({ scale: 220, bounds: [0, 110] });
    });
  });
});
