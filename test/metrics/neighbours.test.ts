import { beforeAll, describe, expect, it } from '@jest/globals';
import { useBackend } from '../../src/core/backend.js';
import { privacyDistances } from '../../src/metrics/privacy-distances.js';
import type { Table } from '../../src/core/table.js';
import { categorical, numeric, table } from '../helpers/tables.js';
import { lcg, randomCodes, randomValues } from '../helpers/random.js';

/**
 * The SPEC's distance written out independently: min-max scaling with the first table's range,
 * a missing indicator where any table has a missing value, categories differing adding 1.
 */
function bruteNearest(from: Table, to: Table, train: Table, all: Table[]): number[] {
  const scales = train.columns.map((c, k) => {
    if (c.kind === 'categorical') return null;
    const present = Array.from(c.values).filter((v) => !Number.isNaN(v));
    const min = Math.min(...present);
    const max = Math.max(...present);
    const anyMissing = all.some((t) =>
      Array.from((t.columns[k] as { values: Float64Array }).values).some(Number.isNaN),
    );
    return { min, range: max > min ? max - min : 0, anyMissing };
  });
  const coordinates = (t: Table, i: number) =>
    t.columns.flatMap((c, k) => {
      const s = scales[k];
      if (c.kind === 'categorical' || !s) return [];
      const v = c.values[i];
      const scaled = Number.isNaN(v) || s.range === 0 ? 0 : (v - s.min) / s.range;
      return s.anyMissing ? [scaled, Number.isNaN(v) ? 1 : 0] : [scaled];
    });
  const distance = (i: number, j: number) => {
    const a = coordinates(from, i);
    const b = coordinates(to, j);
    let sum = a.reduce((acc, v, k) => acc + (v - b[k]) ** 2, 0);
    from.columns.forEach((c, k) => {
      if (c.kind === 'categorical' && c.codes[i] !== (to.columns[k] as { codes: Int32Array }).codes[j]) sum += 1;
    });
    return Math.sqrt(sum);
  };
  return Array.from({ length: from.rowCount }, (_, i) =>
    Math.min(...Array.from({ length: to.rowCount }, (_, j) => distance(i, j))),
  );
}

function mixedTable(n: number, seed: number): Table {
  return table(
    numeric('x', randomValues(n, seed, { missing: 0.1, round: 1 })),
    numeric('y', randomValues(n, seed + 1)),
    categorical('c', randomCodes(n, 3, seed + 2, 0.1), ['a', 'b', 'c']),
    categorical('d', randomCodes(n, 5, seed + 3), ['p', 'q', 'r', 's', 't']),
  );
}

/** Copies some rows of `source` into `target` at random places, making exact duplicates. */
function withDuplicates(target: Table, source: Table, count: number, seed: number): Table {
  const next = lcg(seed);
  const columns = target.columns.map((c) =>
    c.kind === 'categorical' ? { ...c, codes: c.codes.slice() } : { ...c, values: c.values.slice() },
  );
  for (let k = 0; k < count; k++) {
    const i = Math.floor(next() * target.rowCount);
    const j = Math.floor(next() * source.rowCount);
    columns.forEach((c, m) => {
      const s = source.columns[m];
      if (c.kind === 'categorical' && s.kind === 'categorical') c.codes[i] = s.codes[j];
      else if (c.kind !== 'categorical' && s.kind !== 'categorical') c.values[i] = s.values[j];
    });
  }
  return { rowCount: target.rowCount, columns };
}

describe('privacyDistances', () => {
  beforeAll(async () => {
    await useBackend('auto');
  });

  it('matches a brute-force float64 search in every direction, duplicates at exactly 0', async () => {
    const real = mixedTable(120, 1);
    const holdout = mixedTable(70, 20);
    const synthetic = withDuplicates(mixedTable(90, 40), real, 15, 7);
    const d = await privacyDistances(real, synthetic, holdout, { cap: 1000, seed: 1, backend: 'wasm' });
    const all = [real, synthetic, holdout];
    const expectClose = (actual: Float64Array, expected: number[]) => {
      expect(actual.length).toBe(expected.length);
      expected.forEach((e, i) => expect(Math.abs(actual[i] - e)).toBeLessThan(1e-9));
    };
    expectClose(d.syntheticToReal, bruteNearest(synthetic, real, real, all));
    expectClose(d.syntheticToHoldout!, bruteNearest(synthetic, holdout, real, all));
    expectClose(d.realToSynthetic, bruteNearest(real, synthetic, real, all));
    expectClose(d.holdoutToSynthetic!, bruteNearest(holdout, synthetic, real, all));
    expect(Array.from(d.syntheticToReal).filter((v) => v === 0).length).toBeGreaterThanOrEqual(10);
  });

  it('samples each set down to the cap and says so', async () => {
    const real = mixedTable(300, 3);
    const synthetic = mixedTable(50, 4);
    const d = await privacyDistances(real, synthetic, undefined, { cap: 100, seed: 2, backend: 'wasm' });
    expect(d.rows).toMatchObject({ real: 100, synthetic: 50, holdout: null, sampled: ['real'] });
    expect(d.syntheticToReal.length).toBe(50);
    expect(d.holdoutToSynthetic).toBeUndefined();
  });

  it('keeps a 600-category identifier column in the distance, exactly', async () => {
    const n = 600;
    const ids = Array.from({ length: n }, (_, i) => i);
    const real = table(numeric('x', randomValues(n, 5)), categorical('id', ids, ids.map(String)));
    const shifted = table(
      numeric('x', randomValues(n, 5)),
      categorical(
        'id',
        ids.map((i) => (i + 1) % n),
        ids.map(String),
      ),
    );
    const all = [real, shifted];
    const d = await privacyDistances(real, shifted, undefined, { cap: 1000, seed: 1, backend: 'wasm' });
    bruteNearest(shifted, real, real, all).forEach((e, i) =>
      expect(Math.abs(d.syntheticToReal[i] - e)).toBeLessThan(1e-9),
    );
    expect(Array.from(d.syntheticToReal).every((v) => v > 0)).toBe(true);
  });

  it('stays exact when the categorical columns need several lookup groups', async () => {
    const wide = (n: number, seed: number) =>
      table(
        numeric('x', randomValues(n, seed, { round: 1 })),
        categorical('a', randomCodes(n, 200, seed + 1), Array.from({ length: 200 }, String)),
        categorical('b', randomCodes(n, 100, seed + 2, 0.2), Array.from({ length: 100 }, String)),
        categorical('c', randomCodes(n, 3, seed + 3), ['p', 'q', 'r']),
      );
    const real = wide(150, 1);
    const synthetic = withDuplicates(wide(120, 9), real, 10, 3);
    const d = await privacyDistances(real, synthetic, undefined, { cap: 1000, seed: 1, backend: 'wasm' });
    bruteNearest(synthetic, real, real, [real, synthetic]).forEach((e, i) =>
      expect(Math.abs(d.syntheticToReal[i] - e)).toBeLessThan(1e-9),
    );
    bruteNearest(real, synthetic, real, [real, synthetic]).forEach((e, i) =>
      expect(Math.abs(d.realToSynthetic[i] - e)).toBeLessThan(1e-9),
    );
  });
});
