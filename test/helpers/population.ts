/**
 * Rows of a known population for the learned metrics and the attacks: two continuous columns,
 * a category, and a label that depends on them with noise. `shift` moves every distribution far
 * away (an unrelated population).
 */
import type { Table } from '../../src/core/table.js';
import { lcg } from './random.js';
import { categorical, numeric, table } from './tables.js';

export const LEVELS = ['a', 'b', 'c', 'd', 'e'];
export const LABELS = ['no', 'yes'];

export function population(n: number, seed: number, options: { shift?: boolean } = {}): Table {
  const next = lcg(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const x: number[] = [];
  const y: number[] = [];
  const c: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = options.shift ? 20 + 3 * gauss() : gauss();
    const yi = options.shift ? -xi + gauss() : xi + gauss();
    const ci = options.shift ? 3 + Math.floor(next() * 2) : Math.floor(next() * 3);
    x.push(xi);
    y.push(yi);
    c.push(ci);
    const score = options.shift ? -xi : xi + (ci === 1 ? 1 : 0);
    label.push(score + 0.8 * gauss() > 0.5 ? 1 : 0);
  }
  return table(numeric('x', x), numeric('y', y), categorical('c', c, LEVELS), categorical('label', label, LABELS));
}
