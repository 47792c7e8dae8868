/**
 * A small mixed table for AIM's tests, with the shapes AIM's discretisation cares about: a
 * whole-number column with few values (enumerated), a whole-number column with many (binned),
 * a skewed amount with a point mass at 0 (a heavy value), and two dependent categorical columns;
 * and the statistics a DP run would declare public for it.
 */
import { expect } from '@jest/globals';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';
import type { fitAim } from '../../../src/models/aim/fit.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

export const CITIES = ['north', 'south', 'east'];

export function mixedTable(rows: number, seed: number): Table {
  const rng = createRng(seed);
  const city: number[] = [];
  const member: number[] = [];
  const grade: number[] = [];
  const age: number[] = [];
  const amount: number[] = [];
  for (let r = 0; r < rows; r++) {
    const c = rng.int(3);
    city.push(c);
    member.push(rng.next() < (c === 0 ? 0.8 : 0.3) ? 1 : 0);
    grade.push(1 + Math.min(4, Math.floor(rng.next() * 3 + c)));
    age.push(18 + Math.floor(rng.next() * 50 + 10 * c * rng.next()));
    amount.push(rng.next() < 0.4 ? 0 : Math.round(1000 * (1 + 20 * rng.next() ** 3 * (1 + member[r]))) / 10);
  }
  return table(
    categorical('city', city, [...CITIES]),
    categorical('member', member, ['no', 'yes']),
    numeric('grade', grade),
    numeric('age', age),
    numeric('amount', amount),
  );
}

/** Public statistics of the mixed table: bounds, steps, level lists (with the placeholder), no gaps but where said. */
export function mixedStatistics(): ColumnStatistics[] {
  const even = (min: number, max: number) => Array.from({ length: 32 }, (_, j) => min + ((max - min) * j) / 31);
  return [
    { kind: 'categorical', name: 'city', levels: [...CITIES, '(other)'], placeholder: '(other)', missing: false },
    { kind: 'categorical', name: 'member', levels: ['no', 'yes', '(other)'], placeholder: '(other)', missing: true },
    { kind: 'numeric', name: 'grade', min: 1, max: 5, quantiles: even(1, 5), step: 1, missing: false },
    { kind: 'numeric', name: 'age', min: 18, max: 90, quantiles: even(18, 90), step: 1, missing: false },
    { kind: 'numeric', name: 'amount', min: 0, max: 5000, quantiles: even(0, 5000), step: 0.1, missing: true },
  ];
}

/** The cliques the fit comparisons read: one-way, the dependent pair, and two across kinds. */
const COMPARED_CLIQUES = [[0], [0, 1], [2, 4], [3, 4]];

/** A fit from a statistics source is the in-memory fit: the same coders, domain sizes and marginals. */
export function expectSameFit(fitted: Awaited<ReturnType<typeof fitAim>>, memory: Awaited<ReturnType<typeof fitAim>>) {
  expect(fitted.coders).toEqual(memory.coders);
  expect(fitted.model.sizes).toEqual(memory.model.sizes);
  for (const clique of COMPARED_CLIQUES)
    expect(Array.from(fitted.model.marginal(clique))).toEqual(Array.from(memory.model.marginal(clique)));
}
