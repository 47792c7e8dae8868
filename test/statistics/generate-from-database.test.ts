/**
 * generate from a database table (aim at epsilon 1): only aggregates are sent, every GROUP BY is
 * over CASE-binned columns (public or released bins), the run is charged to the ledger target
 * sample-db charges for that table, and every statistics query has its line in sample-db's audit
 * log. On PostgreSQL (GESALP_TEST_PG_URL, as CI sets it) every SQL text the pg driver sends is
 * captured below knex (the server's own statement log, log_statement, needs a superuser, which
 * the test user is not).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { generateFromDatabase } from '../../src/api/generate-from-database.js';
import { sampleDb } from '../../src/api/sample-db.js';
import { parseMetadata } from '../../src/core/schema/metadata.js';
import { verifyAudit } from '../../src/sample-db/audit/audit-log.js';
import { anchorPathFor } from '../../src/sample-db/audit/audit-anchor.js';
import type { SqlQuery } from '../../src/statistics/sql.js';
import { MAX_WORKLOAD_CELLS } from '../../src/models/aim/workload.js';
import { availableEngines, type Engine } from '../helpers/engines.js';
import { shapeProblem, shapeProblems } from './query-shape.js';

const COLUMNS = ['age', 'sex', 'diagnosis', 'admitted_on', 'length_of_stay', 'systolic_bp', 'insurance', 'readmitted'];
const METADATA = {
  gesalp_metadata: 1,
  columns: {
    age: { kind: 'integer', min: 0, max: 110 },
    sex: { kind: 'categorical', categories: ['F', 'M'] },
    diagnosis: {
      kind: 'categorical',
      categories: [
        'hypertension',
        'diabetes',
        'asthma',
        'pneumonia',
        'fracture',
        'migraine',
        'appendicitis',
        'heart failure',
      ],
    },
    admitted_on: { kind: 'datetime', min: '2024-01-01', max: '2025-12-31', step: 86400 },
    length_of_stay: { kind: 'integer', min: 1, max: 90 },
    systolic_bp: { kind: 'numeric', min: 60, max: 240, step: 0.1 },
    insurance: { kind: 'categorical', categories: ['public', 'private', 'none'] },
    readmitted: { kind: 'integer', min: 0, max: 1, missing: false },
  },
};

type Query = (...args: unknown[]) => unknown;
/** The pg driver as knex loads it (jest's require: the same module instance). */
const pg = createRequire(import.meta.url)('pg') as { Client: { prototype: { query: Query } } };

/** Every SQL text the pg driver is asked to send, whoever asks (knex, a stream, a cursor). */
const sent: string[] = [];
const original = pg.Client.prototype.query;
beforeAll(() => {
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as { text?: string; cursor?: { text?: string } } | string;
    const text = typeof first === 'string' ? first : (first?.text ?? first?.cursor?.text);
    if (text) sent.push(text);
    return original.apply(this, args);
  };
});
afterAll(() => {
  pg.Client.prototype.query = original;
});

const TABLE_NAME = /"?patient_records"?/;

describe('generateFromDatabase', () => {
  const { engines, skipped } = availableEngines();
  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (_, engine: Engine) => {
    let dir: string;
    const files = () => ({ audit_log: join(dir, 'audit.jsonl'), ledger: join(dir, 'ledger.json') });
    const connection = () => ({ client: engine.client, connection: engine.connection, password: engine.password });
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-dbgen-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const queries: { query: SqlQuery; cells: number }[] = [];
    let output: Awaited<ReturnType<typeof generateFromDatabase>>;
    let sentBefore = 0;

    beforeAll(async () => {
      sentBefore = sent.length;
      output = await generateFromDatabase(
        {
          connection: connection(),
          table: 'patient_records',
          columns: COLUMNS,
          method: 'aim',
          params: { rounds_per_column: 4, iterations: 30, final_iterations: 100 },
          epsilon: 1,
          metadata: parseMetadata(JSON.stringify(METADATA), 'metadata.json'),
          seed: 7,
          rows: 2000,
          user: 'test',
          ...files(),
        },
        { onQuery: (query, cells) => void queries.push({ query, cells }) },
      );
    }, 120_000);

    it('writes synthetic rows inside the declared domains', () => {
      const table = output.table;
      expect(table.rowCount).toBe(2000);
      expect(table.columns.map((c) => c.name)).toEqual(COLUMNS);
      const age = table.columns[0];
      const ages = age.kind === 'categorical' ? [] : Array.from(age.values).filter((v) => !Number.isNaN(v));
      expect(ages.length).toBeGreaterThan(1000);
      expect(Math.min(...ages) >= 0 && Math.max(...ages) <= 110).toBe(true);
      const sex = table.columns[1];
      expect(sex.kind === 'categorical' && sex.levels.every((l) => ['F', 'M', '(other)'].includes(l))).toBe(true);
      expect(output.training.privacy?.spentEpsilon).toBeLessThanOrEqual(1 + 1e-9);
    });

    it('sends only aggregates over CASE-binned columns, never a row of the table', () => {
      expect(queries.length).toBeGreaterThan(COLUMNS.length);
      expect(shapeProblems(queries.map((q) => q.query))).toEqual([]);
      // No answer holds more cells than a workload marginal may have (a GROUP BY over a unique column would return every value).
      expect(Math.max(...queries.map((q) => q.cells))).toBeLessThanOrEqual(MAX_WORKLOAD_CELLS);
    });

    if (engine.client === 'pg')
      it('sends the server no statement over the table but those aggregates (captured below knex)', () => {
        const run = sent.slice(sentBefore);
        const overTable = run.filter((text) => TABLE_NAME.test(text));
        expect(overTable.length).toBe(queries.length);
        expect(overTable.map((text) => shapeProblem(text)).filter(Boolean)).toEqual([]);
        // Each one inside a read-only transaction with the statement timeout.
        expect(run.filter((t) => /^set transaction read only$/i.test(t.trim())).length).toBeGreaterThanOrEqual(
          overTable.length,
        );
        expect(run.filter((t) => /^set local statement_timeout/i.test(t.trim())).length).toBeGreaterThanOrEqual(
          overTable.length,
        );
      });

    it('logs every statistics query and the run in the audit log, chained and anchored', async () => {
      const lines = readFileSync(files().audit_log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const aggregates = lines.filter((l) => l.event === 'aggregate');
      expect(aggregates.length).toBe(queries.length);
      const run = lines.find((l) => l.event === 'generate');
      expect(run.statistics_queries).toEqual(aggregates.map((l) => l.query_fingerprint));
      expect(run.privacy.epsilon).toBe(1);
      expect(run.budget.targets[0].spent_after).toBeCloseTo(1, 12);
      expect(lines.every((l) => typeof l.hash === 'string' && l.user === 'test' && l.table === run.table)).toBe(true);
      const verified = await verifyAudit(files().audit_log, { anchorFile: anchorPathFor(files().ledger) });
      expect(verified).toMatchObject({ ok: true, anchored: true, lines: lines.length });
    });

    it('charges the ledger target sample-db charges for the table, and refuses past --budget before reading', async () => {
      const ledger = JSON.parse(readFileSync(files().ledger, 'utf8'));
      const keys = Object.keys(ledger.targets);
      expect(keys).toHaveLength(1);
      expect(ledger.targets[keys[0]]).toMatchObject({ spent: 1, spent_delta: 1e-7 });
      await sampleDb(
        {
          connection: connection(),
          table: 'patient_records',
          columns: ['age'],
          fraction: 1,
          epsilon: 0.5,
          sensitive: ['age'],
          bounds: { age: [0, 110] },
          ...files(),
          user: 'test',
        },
        { write: () => undefined },
      );
      const after = JSON.parse(readFileSync(files().ledger, 'utf8'));
      expect(Object.keys(after.targets)).toEqual(keys);
      expect(after.targets[keys[0]].spent).toBeCloseTo(1.5, 12);
      const before = queries.length;
      await expect(
        generateFromDatabase(
          {
            connection: connection(),
            table: 'patient_records',
            columns: COLUMNS,
            epsilon: 1,
            budget: 2,
            metadata: parseMetadata(JSON.stringify(METADATA), 'metadata.json'),
            user: 'test',
            ...files(),
          },
          { onQuery: (query, cells) => void queries.push({ query, cells }) },
        ),
      ).rejects.toMatchObject({ kind: 'budget', exitCode: 5 });
      expect(queries.length).toBe(before);
      const last = readFileSync(files().audit_log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .pop();
      expect(last).toMatchObject({ event: 'refused', exit_code: 5 });
    });

    it('releases undeclared bounds from noisy histograms over public edges, within the same epsilon', async () => {
      const { length_of_stay: _, ...declared } = METADATA.columns;
      const before = queries.length;
      const out = await generateFromDatabase(
        {
          connection: connection(),
          table: 'patient_records',
          columns: ['age', 'length_of_stay', 'insurance'],
          epsilon: 1,
          metadata: parseMetadata(JSON.stringify({ ...METADATA, columns: declared }), 'metadata.json'),
          params: { rounds_per_column: 2, iterations: 20, final_iterations: 50 },
          rows: 100,
          user: 'test',
          audit_log: join(dir, 'bounds-audit.jsonl'),
          ledger: join(dir, 'bounds-ledger.json'),
        },
        { onQuery: (query, cells) => void queries.push({ query, cells }) },
      );
      const privacy = out.metadata.privacy as any;
      expect(privacy.released_bounds).toEqual([expect.objectContaining({ column: 'length_of_stay', epsilon: 0.2 })]);
      expect(privacy.aim.epsilon).toBeCloseTo(0.8, 12);
      expect(privacy.spent_epsilon).toBeLessThanOrEqual(1 + 1e-9);
      const [lo, hi] = [privacy.released_bounds[0].min, privacy.released_bounds[0].max];
      expect(lo).toBeLessThanOrEqual(2);
      expect(hi).toBeGreaterThanOrEqual(10);
      expect(shapeProblems(queries.slice(before).map((q) => q.query))).toEqual([]);
    });

    it('refuses under DP a column whose domain is not declared, before reading', async () => {
      const before = queries.length;
      await expect(
        generateFromDatabase(
          {
            connection: connection(),
            table: 'patient_records',
            columns: ['age', 'zip'],
            epsilon: 1,
            user: 'test',
            ...files(),
          },
          { onQuery: (query, cells) => void queries.push({ query, cells }) },
        ),
      ).rejects.toThrow(/not declared/);
      expect(queries.length).toBe(before);
    });
  });
});
