import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import type { CategoricalColumn, NumericColumn, Table } from '../../../src/core/table.js';
import type { Mechanisms, Released } from '../../../src/models/aim/mechanisms.js';
import { Aim } from '../../../src/models/aim/model.js';
import { AIM_FIXED_DEFAULTS } from '../../../src/models/aim/space.js';
import { CITIES, mixedStatistics, mixedTable } from './fixture.js';

/**
 * AIM may learn from the rows only through its mechanisms. So: fit on a table with one crafted
 * row more, recording every mechanism's input and output; fit again without that row, replaying
 * the recorded outputs while checking that each mechanism's input moved by at most its
 * sensitivity; the two models must then be identical. A release read from the rows outside the
 * mechanisms (a level list, a bound, a count, a bin) would make them differ.
 */
type Call =
  | { kind: 'gaussian'; label: string; input: Float64Array; output: Float64Array }
  | { kind: 'thresholded'; label: string; values: Float64Array; counts: Float64Array; output: Released }
  | { kind: 'exponential'; label: string; scores: Float64Array; sensitivity: number; output: number };

function recording(calls: Call[], seed: number): Mechanisms {
  const rng = createRng(seed);
  const noise = (sigma: number) =>
    Math.round(sigma * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
  return {
    gaussian(label, counts, sigma) {
      const output = counts.map((c) => c + noise(sigma));
      calls.push({ kind: 'gaussian', label, input: Float64Array.from(counts), output });
      return output;
    },
    thresholded(label, values, counts, sigma, threshold) {
      const output: Released = { values: [], counts: [] };
      counts.forEach((c, i) => {
        const noisy = c + noise(sigma);
        if (noisy > threshold) {
          output.values.push(values[i]);
          output.counts.push(noisy);
        }
      });
      calls.push({
        kind: 'thresholded',
        label,
        values: Float64Array.from(values),
        counts: Float64Array.from(counts),
        output,
      });
      return output;
    },
    exponential(label, scores, epsilon, sensitivity) {
      let best = 0;
      scores.forEach((s, i) => (s + noise((2 * sensitivity) / epsilon) > scores[best] ? (best = i) : 0));
      calls.push({ kind: 'exponential', label, scores: Float64Array.from(scores), sensitivity, output: best });
      return best;
    },
  };
}

function replaying(calls: Call[]): Mechanisms {
  let at = 0;
  const next = <K extends Call['kind']>(kind: K, label: string) => {
    const call = calls[at++];
    expect(call).toMatchObject({ kind, label });
    return call as Extract<Call, { kind: K }>;
  };
  return {
    gaussian(label, counts) {
      const call = next('gaussian', label);
      expect(counts.length).toBe(call.input.length);
      expect(Math.hypot(...counts.map((c, i) => c - call.input[i]))).toBeLessThanOrEqual(1);
      return call.output;
    },
    thresholded(label, values, counts) {
      const call = next('thresholded', label);
      // Aligned by value: the row may add a value no other row holds (count 1 against 0).
      const recorded = new Map(Array.from(call.values, (v, i) => [v, call.counts[i]]));
      const here = new Map(Array.from(values, (v, i) => [v, counts[i]]));
      const keys = new Set([...recorded.keys(), ...here.keys()]);
      const moved = Math.hypot(...[...keys].map((k) => (recorded.get(k) ?? 0) - (here.get(k) ?? 0)));
      expect(moved).toBeLessThanOrEqual(1);
      return call.output;
    },
    exponential(label, scores) {
      const call = next('exponential', label);
      expect(scores.length).toBe(call.scores.length);
      scores.forEach((s, i) => expect(Math.abs(s - call.scores[i])).toBeLessThanOrEqual(call.sensitivity + 1e-9));
      return call.output;
    },
  };
}

/** The table with one crafted row appended. */
function withRow(
  base: Table,
  row: { city: string; member: number; grade: number; age: number; amount: number },
): Table {
  const [city, member, grade, age, amount] = base.columns as [
    CategoricalColumn,
    CategoricalColumn,
    NumericColumn,
    NumericColumn,
    NumericColumn,
  ];
  const levels = city.levels.includes(row.city) ? city.levels : [...city.levels, row.city];
  const extend = (column: NumericColumn, value: number): NumericColumn => ({
    ...column,
    values: Float64Array.from([...column.values, value]),
  });
  return {
    rowCount: base.rowCount + 1,
    columns: [
      { ...city, levels, codes: Int32Array.from([...city.codes, levels.indexOf(row.city)]) },
      { ...member, codes: Int32Array.from([...member.codes, row.member]) },
      extend(grade, row.grade),
      extend(age, row.age),
      extend(amount, row.amount),
    ],
  };
}

async function fitWith(table: Table, mechanisms: Mechanisms) {
  const model = new Aim(
    { ...AIM_FIXED_DEFAULTS, rounds_per_column: 2, iterations: 20, final_iterations: 50 },
    undefined,
    {
      mechanisms,
    },
  );
  await model.fit(table, {
    seed: 0,
    threads: 1,
    backend: 'cpu',
    privacy: { epsilon: 2, delta: 1e-6, maxGradNorm: 1, rows: table.rowCount },
    statistics: mixedStatistics(),
  });
  return model;
}

describe('AIM on neighbouring inputs', () => {
  const base = mixedTable(600, 3);
  it.each([
    [
      'a new category, a missing value and an off-grid age',
      { city: 'atlantis', member: -1, grade: 3, age: 35.5, amount: 12.34 },
    ],
    ['an extreme value past every bound', { city: CITIES[1], member: 1, grade: 50, age: 1e6, amount: 1e12 }],
    [
      'a value no other row holds, in every numeric column',
      { city: CITIES[0], member: 0, grade: 2.5, age: 17, amount: 4999.9 },
    ],
  ])('releases nothing outside its mechanisms when one row adds %s', async (_name, row) => {
    const calls: Call[] = [];
    const larger = await fitWith(withRow(base, row), recording(calls, 5));
    const smaller = await fitWith(base, replaying(calls));
    const a = larger.graphicalModel();
    const b = smaller.graphicalModel();
    expect(b.total).toBe(a.total);
    expect(b.potentials.map((p) => p.clique)).toEqual(a.potentials.map((p) => p.clique));
    b.potentials.forEach((p, k) => expect(Array.from(p.values)).toEqual(Array.from(a.potentials[k].values)));
    // The bins (coders) are part of what is released: the saved model's JSON must match too.
    expect(JSON.stringify(smaller.coders())).toBe(JSON.stringify(larger.coders()));
    // So is the zCDP account the report prints: every stage's charge and description, every round.
    const account = (m: Aim) => JSON.stringify({ ...m.training!.privacy!.zcdp, seconds: undefined });
    expect(account(smaller)).toBe(account(larger));
    expect(calls.length).toBeGreaterThan(10);
  });
});
