import { describe, expect, it } from '@jest/globals';
import { corrDelta } from '../../src/metrics/definitions/corr-delta.js';
import { columnPairs, MAX_COLUMN_PAIRS } from '../../src/metrics/formulas/column-pairs.js';
import { pairAssociation } from '../../src/metrics/formulas/pair-association.js';
import type { MetricContext } from '../../src/metrics/metric.js';
import type { Table } from '../../src/core/table.js';
import { lcg } from '../helpers/random.js';
import { categorical, numeric, table } from '../helpers/tables.js';

/** `columns` columns of `rows` rows from one random stream, every third one categorical. */
function wide(columns: number, rows: number, seed: number): Table {
  const next = lcg(seed);
  return table(
    ...Array.from({ length: columns }, (_, c) =>
      c % 3 === 2
        ? categorical(
            `c${c}`,
            Array.from({ length: rows }, () => Math.floor(next() * 3)),
            ['a', 'b', 'c'],
          )
        : numeric(
            `c${c}`,
            Array.from({ length: rows }, () => next()),
          ),
    ),
  );
}

const context = (real: Table, synthetic: Table, seed = 0): MetricContext => ({
  real,
  synthetic,
  seed,
  privacy: () => Promise.reject(new Error('corr_delta needs no distances')),
});

describe('columnPairs', () => {
  it('lists every pair i < j once while the table has at most the cap', () => {
    const pairs = columnPairs(5, 10);
    expect(pairs).toMatchObject({ total: 10, sampled: false });
    expect(Array.from(pairs.first)).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
    expect(Array.from(pairs.second)).toEqual([1, 2, 3, 4, 2, 3, 4, 3, 4, 4]);
  });

  it('draws exactly the cap of distinct pairs past it, seeded, every column about equally often', () => {
    const pairs = columnPairs(2000);
    expect(pairs).toMatchObject({ total: 1_999_000, sampled: true });
    expect(pairs.first.length).toBe(MAX_COLUMN_PAIRS);
    const keys = new Set(Array.from(pairs.first, (i, k) => i * 2000 + pairs.second[k]));
    expect(keys.size).toBe(MAX_COLUMN_PAIRS);
    expect(pairs.first.every((i, k) => i < pairs.second[k] && pairs.second[k] < 2000)).toBe(true);
    expect(columnPairs(2000).first).toEqual(pairs.first);
    expect(columnPairs(2000, undefined, 1).first).not.toEqual(pairs.first);
    // Each column is in 20 pairs on average (binomial, sd about 4.5): none is left out or crowded in.
    const uses = new Int32Array(2000);
    for (let k = 0; k < pairs.first.length; k++) {
      uses[pairs.first[k]]++;
      uses[pairs.second[k]]++;
    }
    expect(Math.min(...uses)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...uses)).toBeLessThanOrEqual(45);
  });
});

describe('corr_delta on a wide table', () => {
  it('averages a capped, seeded sample of the pairs of a 2,000-column table and says so', async () => {
    const real = wide(2000, 5, 1);
    const synthetic = wide(2000, 5, 9001);
    const result = await corrDelta.compute(context(real, synthetic));
    expect(result.status).toBe('ok');
    expect(result.warnings).toEqual(['corr_delta averages a seeded sample of 20,000 of the 1,999,000 column pairs']);
    const again = await corrDelta.compute(context(real, synthetic));
    expect(again.value).toBe(result.value);
  });

  it('estimates the mean over all pairs within three standard errors of the sample', async () => {
    const real = wide(300, 20, 3);
    const synthetic = wide(300, 20, 7003);
    let sum = 0;
    for (let i = 0; i < 300; i++)
      for (let j = i + 1; j < 300; j++)
        sum += Math.abs(
          pairAssociation(real.columns[i], real.columns[j]) -
            pairAssociation(synthetic.columns[i], synthetic.columns[j]),
        );
    const full = sum / 44_850;
    const result = await corrDelta.compute(context(real, synthetic));
    // Terms lie in [0, 2] (sd <= 1), drawn without replacement from 44,850.
    const standardError = Math.sqrt(1 - MAX_COLUMN_PAIRS / 44_850) / Math.sqrt(MAX_COLUMN_PAIRS);
    expect(Math.abs(result.value! - full)).toBeLessThan(3 * standardError);
    expect(result.warnings).toHaveLength(1);
  });

  it('uses every pair, with no warning, up to the cap', async () => {
    const real = wide(200, 5, 1);
    const result = await corrDelta.compute(context(real, real));
    expect(result.value).toBe(0);
    expect(result.warnings).toBeUndefined();
  });
});
