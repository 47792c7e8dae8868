import { describe, expect, it } from '@jest/globals';
import { evaluateTables } from '../../src/metrics/evaluate.js';
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import type { CategoricalColumn, NumericColumn, Table } from '../../src/core/table.js';
import { takeRows } from '../../src/core/table.js';
import { fidelityRows } from '../../src/pipeline/fidelity-rows.js';

/** 60 rows: kind a (30), b (20), c (10), and a row number. */
function table(): Table {
  const codes = Int32Array.from({ length: 60 }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
  return {
    rowCount: 60,
    columns: [
      { name: 'kind', kind: 'categorical', codes, levels: ['a', 'b', 'c'] },
      { name: 'id', kind: 'numeric', values: Float64Array.from({ length: 60 }, (_, i) => i) },
    ],
  };
}

const kinds = (t: Table) => [...(t.columns[0] as CategoricalColumn).codes];
const ids = (t: Table) => [...(t.columns[1] as NumericColumn).values];

function rowsFor(values: string[], train = table()) {
  const said: { info: string[]; warn: string[] } = { info: [], warn: [] };
  const say = { info: (t: string) => said.info.push(t), warn: (t: string) => said.warn.push(t) };
  const condition = values.length ? { column: 'kind', values } : undefined;
  return { rows: fidelityRows({ train, template: train }, condition, 7, say), said };
}

describe('the rows a conditioned sample is judged against', () => {
  it('are every training row without --condition', () => {
    expect(rowsFor([])).toEqual({ rows: undefined, said: { info: [], warn: [] } });
  });

  it("are the training rows holding a condition's value for the fidelity metrics, and it says so", () => {
    const { rows, said } = rowsFor(['b']);
    expect(kinds(rows!)).toEqual(new Array(20).fill(1));
    expect(said.info).toEqual([
      'condition kind=b: ks_mean, tvd_mean, corr_delta, detection_auc compare with the 20 training rows holding it; the privacy metrics with every training and holdout row',
    ]);
  });

  it('hold as many rows of each of several values as of the rarest, a seeded choice of distinct rows', () => {
    const { rows, said } = rowsFor(['a', 'c']);
    const codes = kinds(rows!);
    expect(codes.filter((c) => c === 0)).toHaveLength(10);
    expect(codes.filter((c) => c === 2)).toHaveLength(10);
    expect(new Set(ids(rows!)).size).toBe(20);
    expect(ids(rows!)).toEqual(ids(rowsFor(['a', 'c']).rows!));
    expect(said.info[0]).toMatch(/kind=a,c: .* 20 training rows holding it, as many of each value;/);
  });

  it('fall back to every training row, with a warning, when a value has none', () => {
    const train = table();
    const codes = Int32Array.from(kinds(train), (c) => c % 2);
    const onlyAB: Table = {
      ...train,
      columns: [{ ...(train.columns[0] as CategoricalColumn), codes }, train.columns[1]],
    };
    const { rows, said } = rowsFor(['c'], onlyAB);
    expect(rows).toBeUndefined();
    expect(said.warn[0]).toMatch(/kind=c: a value has no training row/);
  });

  it('serve the fidelity metrics only: a copied row outside them still counts as a copy', async () => {
    const train = table();
    const held = rowsFor(['b']).rows!;
    // The synthetic rows copy training rows of kind a, which the fidelity rows do not hold.
    const copies = takeRows(train, [0, 1, 2, 6, 7, 8]);
    const options = { thresholds: { ...DEFAULT_THRESHOLDS }, backend: 'cpu' as const, seed: 1 };
    const judged = await evaluateTables(train, copies, undefined, { ...options, fidelityReal: held });
    const plain = await evaluateTables(train, copies, undefined, options);
    expect(judged.metrics.dup_rate.value).toBe(1);
    expect(judged.metrics.dup_rate.value).toBe(plain.metrics.dup_rate.value);
    // Kind a against rows of kind b: every sampled row differs in kind.
    expect(judged.metrics.tvd_mean.value).toBe(1);
    expect(plain.metrics.tvd_mean.value).toBeLessThan(1);
  });
});
