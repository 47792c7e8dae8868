import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleDb, type SampleDbRequest } from '../../src/sample-db/sample-db.js';
import { amplifiedCost } from '../../src/privacy/amplification.js';
import { keepProbability } from '../../src/privacy/mechanisms.js';
import { hospitalRecords } from '../../scripts/hospital-records.js';
import { availableEngines, type Engine } from '../helpers/engines.js';

const { engines, skipped } = availableEngines();
const truth = new Map(Array.from(hospitalRecords(), (r) => [r[0], r]));
const TOTAL = truth.size;

/** Parses the CSV sample-db writes (no quoted fields in this table). */
function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

const laplaceCdf = (x: number, b: number) => (x < 0 ? 0.5 * Math.exp(x / b) : 1 - 0.5 * Math.exp(-x / b));

/** KS distance between integer samples and an integer-valued distribution: max over observed values of |F_n(x) - F(x)|. */
function ksDiscrete(samples: number[], cdf: (x: number) => number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++)
    if (i + 1 === n || sorted[i + 1] !== sorted[i]) d = Math.max(d, Math.abs((i + 1) / n - cdf(sorted[i])));
  return d;
}

describe('sampleDb', () => {
  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (_, engine: Engine) => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-sampledb-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = async (overrides: Partial<SampleDbRequest>) => {
      let csv = '';
      const result = await sampleDb(
        {
          connection: { client: engine.client, connection: engine.connection, password: engine.password },
          table: 'patient_records',
          fraction: 1,
          sensitive: [],
          bounds: {},
          domains: {},
          timeoutMs: 60000,
          auditLog: join(dir, 'audit.jsonl'),
          ledger: join(dir, 'ledger.json'),
          user: 'test',
          // A query that privatises nothing must say so.
          raw: !overrides.sensitive?.length,
          ...overrides,
        },
        { write: (text) => void (csv += text) },
      );
      return { csv: rows(csv), metadata: result.metadata, warnings: result.warnings };
    };

    it('samples a share of rows within statistical tolerance of --fraction', async () => {
      const { csv } = await run({ fraction: 0.1, seed: 5, columns: ['id'] });
      // Binomial(20000, 0.1): sd = sqrt(20000 * 0.1 * 0.9) = 42.4; allow 5 sd.
      expect(Math.abs(csv.length - 0.1 * TOTAL)).toBeLessThan(5 * Math.sqrt(TOTAL * 0.1 * 0.9));
    });

    it('returns the same rows for the same seed and other rows for another', async () => {
      const ids = async (seed: number) =>
        (await run({ fraction: 0.05, seed, columns: ['id'] })).csv.map((r) => r.id).sort();
      const first = await ids(11);
      expect(await ids(11)).toEqual(first);
      expect(await ids(12)).not.toEqual(first);
    });

    it('adds Laplace noise of scale (hi - lo) / epsilon_col to a clamped sensitive number', async () => {
      const { csv, metadata } = await run({
        columns: ['id', 'age', 'systolic_bp'],
        sensitive: ['age'],
        bounds: { age: [0, 100] },
        epsilon: 2,
      });
      // age is an integer column, so outputs are rounded: round(L) <= x exactly when L < x + 1/2.
      const noise = csv.map((r) => Number(r.age) - Math.min(100, Math.max(0, truth.get(Number(r.id))![1])));
      const scale = 100 / 2;
      expect(csv.length).toBe(TOTAL);
      expect(ksDiscrete(noise, (x) => laplaceCdf(x + 0.5, scale))).toBeLessThan(1.95 / Math.sqrt(TOTAL));
      // The same test rejects a scale 10 % off.
      expect(ksDiscrete(noise, (x) => laplaceCdf(x + 0.5, scale * 1.1))).toBeGreaterThan(1.95 / Math.sqrt(TOTAL));
      expect(metadata.privacy).toMatchObject({
        epsilon: 2,
        effective_epsilon: 2,
        columns: [expect.objectContaining({ column: 'age', laplace_scale: 50 })],
      });
      // Non-sensitive columns pass through unchanged.
      for (const r of csv.slice(0, 50)) {
        const bp = truth.get(Number(r.id))![7];
        expect(r.systolic_bp === '' ? null : Number(r.systolic_bp)).toBe(bp);
      }
    });

    it('keeps the true category with probability e^eps / (e^eps + k - 1) under randomized response', async () => {
      const { csv, metadata } = await run({
        columns: ['id', 'sex'],
        sensitive: ['sex'],
        domains: { sex: ['F', 'M'] },
        epsilon: 1,
      });
      const kept = csv.filter((r) => (r.sex === '' ? null : r.sex) === truth.get(Number(r.id))![2]).length / csv.length;
      const p = keepProbability(1, 3); // F, M and missing
      expect(Math.abs(kept - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / csv.length));
      expect(metadata.privacy).toMatchObject({
        columns: [expect.objectContaining({ mechanism: 'randomized_response', domain: ['F', 'M'] })],
      });
    });

    it('claims amplification, with its delta, only for a privatised, unseeded, unlimited sample of a table of known size', async () => {
      const query = (overrides: Partial<SampleDbRequest>) =>
        run({
          fraction: 0.01,
          sensitive: ['age'],
          bounds: { age: [0, 110] },
          epsilon: 1,
          deltaBudget: 0.5,
          ...overrides,
        });
      const privacy = async (overrides: Partial<SampleDbRequest>) =>
        (await query(overrides)).metadata.privacy as {
          effective_epsilon: number;
          effective_delta: number;
          amplification: { applied: boolean; rule: string; epsilon?: number; delta?: number };
        };
      const amplified = await query({ columns: ['age'], minRows: 15000 });
      const expected = amplifiedCost({ others: 14999, q: 0.01, epsilon: 1 }, 1e-6)!;
      expect(amplified.metadata.privacy).toMatchObject({
        effective_epsilon: expected.epsilon,
        effective_delta: expected.delta,
        amplification: { applied: true, epsilon: expected.epsilon, delta: expected.delta, min_rows: 15000 },
      });
      expect(amplified.metadata.sampler).toBe('client: a CSPRNG coin per row');
      // The database reads every row; the coins are the client's.
      expect(amplified.metadata.sql).not.toMatch(/tablesample|rand\(|gesalp_keep/i);
      expect(Math.abs(amplified.csv.length - 0.01 * TOTAL)).toBeLessThan(5 * Math.sqrt(TOTAL * 0.01 * 0.99));
      // Without a public lower bound on the rows the count's delta is unknown: the full epsilon.
      const unsized = await privacy({ columns: ['age'] });
      expect(unsized).toMatchObject({ effective_epsilon: 1, effective_delta: 0 });
      expect(unsized.amplification.rule).toMatch(/give min_rows N/);
      // --limit cuts the sample in scan order: not Poisson.
      const limited = await privacy({ columns: ['age'], minRows: 15000, limit: 50 });
      expect(limited.effective_epsilon).toBe(1);
      expect(limited.amplification.rule).toMatch(/limit keeps the first sampled rows/);
      // An id released as stored shows who was sampled: the full epsilon is charged.
      const withId = await privacy({ columns: ['id', 'age'], minRows: 15000 });
      expect(withId.effective_epsilon).toBe(1);
      expect(withId.amplification).toMatchObject({
        applied: false,
        rule: expect.stringMatching(/id is released as stored/),
      });
      // So does any other raw column, and a seed that anyone reading the metadata can reuse.
      expect((await privacy({ columns: ['age', 'systolic_bp'], minRows: 15000 })).effective_epsilon).toBe(1);
      const seeded = await privacy({ columns: ['age'], seed: 3, minRows: 15000 });
      expect(seeded.effective_epsilon).toBe(1);
      expect(seeded.amplification.rule).toMatch(/seed/);
      const warned = await query({ columns: ['id', 'age'] });
      expect(warned.metadata.raw_columns).toEqual(['id']);
      expect(warned.warnings).toEqual([
        expect.stringMatching(/'id' looks like an identifier and is released as stored/),
      ]);
      expect((await query({ columns: ['age'] })).warnings).toEqual([]);
    });

    it('releases nothing, and charges the query, when the table is smaller than --min-rows says', async () => {
      let csv = '';
      const failure = await sampleDb(
        {
          connection: { client: engine.client, connection: engine.connection, password: engine.password },
          table: 'patient_records',
          columns: ['age'],
          fraction: 0.5,
          sensitive: ['age'],
          bounds: { age: [0, 110] },
          domains: {},
          epsilon: 1,
          minRows: TOTAL + 1,
          deltaBudget: 0.5,
          timeoutMs: 60000,
          auditLog: join(dir, 'small-audit.jsonl'),
          ledger: join(dir, 'small-ledger.json'),
          user: 'test',
        },
        { write: (text) => void (csv += text) },
      ).catch((e: unknown) => e);
      expect(failure).toMatchObject({
        exitCode: 3,
        option: 'min_rows',
        message: expect.stringMatching(/fewer rows than min_rows/),
      });
      expect(csv).toBe('');
      const ledger = JSON.parse(readFileSync(join(dir, 'small-ledger.json'), 'utf8'));
      expect((Object.values(ledger.targets)[0] as { spent: number }).spent).toBeGreaterThan(0);
    });

    it('estimates missing bounds and domains with a stated share of epsilon', async () => {
      const { metadata } = await run({
        fraction: 0.02,
        seed: 2,
        columns: ['age', 'diagnosis'],
        sensitive: ['age', 'diagnosis'],
        epsilon: 2,
        // The ledger is shared with the tests above, which spent delta on this table.
        deltaBudget: 0.5,
      });
      const privacy = metadata.privacy as {
        estimation_epsilon: number;
        delta: number;
        columns: { source: string; bounds?: number[]; domain?: string[] }[];
      };
      expect(privacy.estimation_epsilon).toBeCloseTo(0.2, 12);
      expect(privacy.delta).toBe(1e-6);
      expect(privacy.columns.every((c) => c.source === 'estimated')).toBe(true);
      const [lo, hi] = privacy.columns[0].bounds!;
      expect(lo).toBeLessThanOrEqual(20);
      // A bucket needs about 190 noisy rows to count at this epsilon (false-bucket rate 1e-4), so the thin top tail may be cut.
      expect(hi).toBeGreaterThanOrEqual(85);
      expect(privacy.columns[1].domain).toEqual(expect.arrayContaining(['hypertension', 'diabetes']));
    });
  });
});
