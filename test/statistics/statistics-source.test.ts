import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hospitalRecords, type PatientRecord } from '../../scripts/hospital-records.js';
import { parseIsoDate } from '../../src/core/schema/values.js';
import { bucketBinning, levelBinning, pieceBin, piecesOf } from '../../src/statistics/binning.js';
import { openDatabaseStatistics } from '../../src/statistics/database-source.js';
import { openFileStatistics } from '../../src/statistics/duckdb-source.js';
import type { SqlQuery } from '../../src/statistics/sql.js';
import type { StatisticsSource } from '../../src/statistics/source.js';
import { availableEngines } from '../helpers/engines.js';
import { shapeProblems } from './query-shape.js';

const records: PatientRecord[] = Array.from(hospitalRecords());
const ages = records.map((r) => r[1]);
const AGE_EDGES = [0, 18, 30.5, 45, 65, 80, 105];
const DIAGNOSES = ['asthma', 'diabetes', 'hypertension'];

/** Hand-counted answers from the generator that filled every fixture table. */
const truth = {
  ageHistogram: AGE_EDGES.slice(1).map((hi, b) => ages.filter((a) => a >= AGE_EDGES[b] && a < hi).length),
  sex: {
    counts: ['F', 'M'].map((s) => records.filter((r) => r[2] === s).length),
    missing: records.filter((r) => r[2] === null).length,
  },
  // Age in pieces (under 40, 40 to 60 inclusive, above) by diagnosis (three listed, other, missing).
  marginal: (() => {
    const out = new Float64Array(3 * 5);
    for (const r of records) {
      const a = r[1] < 40 ? 0 : r[1] <= 60 ? 1 : 2;
      const d = DIAGNOSES.indexOf(r[4]);
      out[a * 5 + (d >= 0 ? d : 3)]++;
    }
    return out;
  })(),
  dates: records.map((r) => parseIsoDate(r[5])),
  stays: records.map((r) => r[6]).sort((a, b) => a - b),
};

const AGE_PIECES = piecesOf([40, 60], (v) => (v < 40 ? 0 : v <= 60 ? 1 : 2));

function checks(open: () => Promise<{ source: StatisticsSource; queries: SqlQuery[] }>) {
  let source: StatisticsSource;
  let queries: SqlQuery[];
  beforeAll(async () => {
    ({ source, queries } = await open());
  });
  afterAll(() => source?.close());

  it('counts the rows', async () => {
    expect(await source.count()).toBe(records.length);
  });

  it('reads bounds as aggregates', async () => {
    const bounds = await source.bounds('age');
    expect(bounds).toEqual({
      min: Math.min(...ages),
      max: Math.max(...ages),
      rows: records.length,
      present: records.length,
    });
  });

  it('reads dates as seconds since 1970', async () => {
    const bounds = await source.bounds('admitted_on');
    expect(bounds.min).toBe(Math.min(...truth.dates));
    expect(bounds.max).toBe(Math.max(...truth.dates));
    expect(await source.step('admitted_on', [86400, 3600, 60, 1])).toBe(86400);
  });

  it('finds the rounding step', async () => {
    expect(await source.step('age', [1, 0.1])).toBe(1);
    expect(await source.step('systolic_bp', [1, 0.1, 0.01])).toBe(0.1);
  });

  it('counts a histogram over given edges', async () => {
    expect(await source.histogram('age', AGE_EDGES)).toEqual(truth.ageHistogram);
  });

  it('counts given levels, others and missing values', async () => {
    const counts = await source.levelCounts('sex', ['F', 'M']);
    expect(counts).toEqual({ counts: truth.sex.counts, other: 0, missing: truth.sex.missing });
  });

  it('counts a two-way marginal over pieces and levels', async () => {
    const binnings = [
      { kind: 'pieces' as const, column: 'age', pieces: AGE_PIECES, missing: 0, size: 3 },
      { ...levelBinning('diagnosis', DIAGNOSES), size: 5 },
    ];
    expect(Array.from(await source.marginal(binnings))).toEqual(Array.from(truth.marginal));
  });

  it('answers marginals over kept bins as over the source, where the engine keeps them', async () => {
    if (!source.keepBins) return; // the user's database is only read
    const age = { kind: 'pieces' as const, column: 'age', pieces: AGE_PIECES, missing: 0, size: 3 };
    const diagnosis = { ...levelBinning('diagnosis', DIAGNOSES), size: 5 };
    await source.keepBins([diagnosis, age]);
    const before = queries.length;
    expect(Array.from(await source.marginal([age, diagnosis]))).toEqual(Array.from(truth.marginal));
    expect(queries[before].sql).toMatch(/from gesalp_kept group by/);
  });

  it('answers quantiles to a millionth of the range', async () => {
    const got = await source.quantiles('length_of_stay', [0, 0.5, 0.9, 1]);
    const n = truth.stays.length;
    const at = (p: number) => {
      const pos = p * (n - 1);
      const lo = Math.floor(pos);
      return truth.stays[lo] + (truth.stays[Math.min(n - 1, lo + 1)] - truth.stays[lo]) * (pos - lo);
    };
    const range = truth.stays[n - 1] - truth.stays[0];
    [0, 0.5, 0.9, 1].forEach((p, k) => expect(Math.abs(got[k] - at(p))).toBeLessThanOrEqual(range / 2 ** 19));
  });

  it('sends only aggregates grouped by CASE-binned columns', () => {
    expect(queries.length).toBeGreaterThan(5);
    expect(shapeProblems(queries)).toEqual([]);
  });
}

describe('binning', () => {
  it('cuts pieces that agree with the function they were cut from, breakpoints included', () => {
    const binOf = (v: number) => (v < 2 ? 0 : v === 2 ? 1 : v < 5 ? 2 : 3);
    const pieces = piecesOf([2, 5], binOf);
    const binning = { kind: 'pieces' as const, column: 'x', pieces, missing: 4, size: 5 };
    for (const v of [-10, 1.99, 2, 2.01, 4.99, 5, 99]) expect(pieceBin(binning, v)).toBe(binOf(v));
    expect(pieceBin(binning, NaN)).toBe(4);
  });

  it('puts values outside a histogram and missing ones in one extra bin', () => {
    const b = bucketBinning('x', [0, 1, 2]);
    expect([-1, 0, 1.5, 2, NaN].map((v) => pieceBin(b, v))).toEqual([2, 0, 1, 2, 2]);
  });
});

describe('statistics source', () => {
  const { engines, skipped } = availableEngines();
  for (const reason of skipped) it.skip(`skipped engine ${reason}`, () => undefined);

  describe.each(engines.map((e) => [e.client, e] as const))('on %s', (_, engine) => {
    checks(async () => {
      const queries: SqlQuery[] = [];
      const source = await openDatabaseStatistics({
        connection: { client: engine.client, connection: engine.connection, password: engine.password },
        table: 'patient_records',
        timeoutMs: 60000,
        onQuery: (query) => void queries.push(query),
      });
      return { source, queries };
    });
  });

  describe('on DuckDB over a CSV file', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gesalp-duckdb-'));
      const header = 'id,age,sex,zip,diagnosis,admitted_on,length_of_stay,systolic_bp,insurance,readmitted';
      // Missing: 'NA' in a number column (a marker, as gesalp's reader reads it); empty in a text
      // column, where gesalp's reader keeps 'NA' as a level.
      const numeric = records[0].map((_, j) => records.some((r) => typeof r[j] === 'number'));
      const cell = (v: string | number | null, j: number) => (v !== null ? String(v) : numeric[j] ? 'NA' : '');
      const lines = records.map((r) => r.map(cell).join(','));
      writeFileSync(join(dir, 'hospital.csv'), `${header}\n${lines.join('\n')}\n`);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    checks(async () => {
      const queries: SqlQuery[] = [];
      const source = await openFileStatistics(join(dir, 'hospital.csv'));
      const run = (source as unknown as { runner: { run: (q: SqlQuery) => Promise<unknown> } }).runner;
      const original = run.run.bind(run);
      run.run = (q: SqlQuery) => {
        queries.push(q);
        return original(q);
      };
      return { source, queries };
    });
  });
});
