import { describe, expect, it } from '@jest/globals';
import type { CategoricalColumn, NumericColumn, Table } from '../../src/core/table.js';
import { judgedRows } from '../../src/pipeline/judged-rows.js';

/** 60 rows: kind a (30), b (20), c (10), and a row number. */
function table(from = 0): Table {
  const codes = Int32Array.from({ length: 60 }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
  return {
    rowCount: 60,
    columns: [
      { name: 'kind', kind: 'categorical', codes, levels: ['a', 'b', 'c'] },
      { name: 'id', kind: 'numeric', values: Float64Array.from({ length: 60 }, (_, i) => from + i) },
    ],
  };
}

const kinds = (t: Table) => [...(t.columns[0] as CategoricalColumn).codes];
const ids = (t: Table) => [...(t.columns[1] as NumericColumn).values];

function judge(values: string[], train = table(), holdout: Table | undefined = table(100)) {
  const said: { info: string[]; warn: string[] } = { info: [], warn: [] };
  const say = { info: (t: string) => said.info.push(t), warn: (t: string) => said.warn.push(t) };
  const judged = judgedRows(
    { train, holdout, table: train },
    values.length ? { column: 'kind', values } : undefined,
    7,
    say,
  );
  return { judged, said };
}

describe('the rows a sample is judged against', () => {
  it('are the training and holdout rows without --condition', () => {
    const train = table();
    const holdout = table(100);
    const { judged, said } = judge([], train, holdout);
    expect(judged.train).toBe(train);
    expect(judged.holdout).toBe(holdout);
    expect(said).toEqual({ info: [], warn: [] });
  });

  it("are the rows holding a condition's value, training and holdout alike, and it says so", () => {
    const { judged, said } = judge(['b']);
    expect(kinds(judged.train)).toEqual(new Array(20).fill(1));
    expect(kinds(judged.holdout!)).toEqual(new Array(20).fill(1));
    expect(ids(judged.holdout!).every((id) => id >= 100)).toBe(true);
    expect(said.info).toEqual([
      '--condition kind=b: the metrics compare with the 20 training rows and 20 holdout rows holding it',
    ]);
  });

  it('hold as many rows of each of several values as of the rarest, a seeded choice of distinct rows', () => {
    const { judged, said } = judge(['a', 'c']);
    const codes = kinds(judged.train);
    expect(codes.filter((c) => c === 0)).toHaveLength(10);
    expect(codes.filter((c) => c === 2)).toHaveLength(10);
    expect(new Set(ids(judged.train)).size).toBe(20);
    expect(ids(judged.train)).toEqual(ids(judge(['a', 'c']).judged.train));
    expect(said.info[0]).toMatch(/kind=a,c: .* 20 training rows .*, as many of each value$/);
  });

  it('fall back to every training row, with a warning, when a value has none', () => {
    const train = table();
    const onlyAB: Table = {
      ...train,
      columns: [
        { ...(train.columns[0] as CategoricalColumn), codes: Int32Array.from(kinds(train), (c) => c % 2) },
        train.columns[1],
      ],
    };
    const { judged, said } = judge(['c'], onlyAB);
    expect(judged.train).toBe(onlyAB);
    expect(said.warn[0]).toMatch(/kind=c: a value has no training row/);
  });
});
