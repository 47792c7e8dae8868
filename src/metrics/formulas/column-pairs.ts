/**
 * The column pairs corr_delta averages over: all of them up to a cap, past it a seeded uniform
 * sample, so a table of 10,000 columns (50 million pairs) costs what one of about 200 does.
 */
import { createRng } from '../../core/rng.js';

/** Every pair of a 200-column table. Each term lies in [0, 2], so the mean of this many random pairs has a standard error of at most 1/sqrt(20,000) = 0.007 against the mean over all pairs. */
export const MAX_COLUMN_PAIRS = 20_000;

export interface ColumnPairs {
  /** Pairs i < j, as two parallel arrays, in ascending order. */
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** How many pairs the table has, all of which are listed when it is at most the cap. */
  readonly total: number;
  readonly sampled: boolean;
}

export function columnPairs(columns: number, cap: number = MAX_COLUMN_PAIRS, seed = 0): ColumnPairs {
  const total = (columns * (columns - 1)) / 2;
  const keys: number[] = [];
  if (total <= cap) {
    for (let i = 0; i < columns; i++) for (let j = i + 1; j < columns; j++) keys.push(i * columns + j);
  } else {
    // An ordered pair of distinct columns drawn uniformly is a uniform unordered pair; repeats are
    // drawn again. Keys i * columns + j stay exact below 2^53 for any table that fits in memory.
    const rng = createRng(seed);
    const chosen = new Set<number>();
    while (chosen.size < cap) {
      const a = rng.int(columns);
      const b = rng.int(columns - 1);
      const other = b >= a ? b + 1 : b;
      chosen.add(Math.min(a, other) * columns + Math.max(a, other));
    }
    keys.push(...[...chosen].sort((x, y) => x - y));
  }
  const first = new Int32Array(keys.length);
  const second = new Int32Array(keys.length);
  keys.forEach((key, k) => {
    first[k] = Math.floor(key / columns);
    second[k] = key % columns;
  });
  return { first, second, total, sampled: total > cap };
}
