/**
 * Counting the rows a singling-out predicate matches, fast on large tables: each column's rows are
 * grouped by value (categories by code, numbers by rank), so every condition is a range of groups.
 * A count walks only the rows of the condition with the fewest rows and tests the others' groups,
 * instead of testing every row of the table.
 */
import { isNumeric, type Column, type Table } from '../../core/table.js';
import type { Condition, Predicate } from './predicates.js';

export interface PredicateCounter {
  /** How many rows (of those `within` marks, else all) match, counting no further than `limit`. */
  count(predicate: Predicate, limit: number, within?: Uint8Array): number;
}

/**
 * A column's rows by group: -1 holds the missing values, then a category's code or a number's
 * rank among the column's distinct values.
 */
interface ColumnGroups {
  readonly column: Column;
  /** Each row's group: the category codes themselves, or the numbers' ranks. */
  readonly group: Int32Array;
  /** The rows, group after group: group g's are rows[starts[g + 1]] to rows[starts[g + 2] - 1]. */
  readonly rows: Int32Array;
  readonly starts: Int32Array;
  /** A numeric column's distinct values, ascending: group g holds distinct[g]. */
  readonly distinct: Float64Array;
}

/** The groups a condition matches, lo to hi (none when lo > hi). */
interface GroupRange {
  readonly groups: ColumnGroups;
  readonly lo: number;
  readonly hi: number;
}

export function predicateCounter(table: Table): PredicateCounter {
  // Built on first use: a predicate names a few columns, a run often not all of them.
  const byColumn: ColumnGroups[] = [];
  const groupsOf = (c: number): ColumnGroups => (byColumn[c] ??= columnGroups(table.columns[c]));
  return {
    count(predicate, limit, within) {
      if (predicate.length === 0) return countRows(table.rowCount, limit, within);
      const ranges = predicate.map((condition) => groupRange(groupsOf(condition.column), condition));
      const size = ({ groups, lo, hi }: GroupRange) => (lo > hi ? 0 : groups.starts[hi + 2] - groups.starts[lo + 1]);
      const driver = ranges.reduce((best, range) => (size(range) < size(best) ? range : best));
      if (size(driver) === 0) return 0;
      const others = ranges.filter((range) => range !== driver);
      const { rows, starts } = driver.groups;
      let count = 0;
      for (let k = starts[driver.lo + 1], end = starts[driver.hi + 2]; k < end; k++) {
        const r = rows[k];
        if ((within && within[r] === 0) || !inAll(others, r)) continue;
        if (++count >= limit) break;
      }
      return count;
    },
  };
}

function inAll(ranges: readonly GroupRange[], r: number): boolean {
  for (const { groups, lo, hi } of ranges) {
    const g = groups.group[r];
    if (g < lo || g > hi) return false;
  }
  return true;
}

function countRows(n: number, limit: number, within: Uint8Array | undefined): number {
  let count = 0;
  for (let r = 0; r < n && count < limit; r++) if (!within || within[r] !== 0) count++;
  return count;
}

/** The groups whose rows meet `condition`; a condition of the other column kind meets none. */
function groupRange(groups: ColumnGroups, condition: Condition): GroupRange {
  const none = { groups, lo: 0, hi: -1 };
  const last = groups.starts.length - 3;
  if (condition.op === 'missing') return { groups, lo: -1, hi: -1 };
  if (!isNumeric(groups.column)) {
    if (condition.op !== 'eq') return none;
    const g = Math.max(condition.code, -1);
    return g <= last ? { groups, lo: g, hi: g } : none;
  }
  if (condition.op === 'eq' || Number.isNaN(condition.value)) return none;
  const { distinct } = groups;
  if (condition.op === 'ge') return { groups, lo: firstIndex(distinct, (x) => x >= condition.value), hi: last };
  return { groups, lo: 0, hi: firstIndex(distinct, (x) => x > condition.value) - 1 };
}

/** The first index of ascending `values` where `past` holds (it holds from there on), else the length. */
function firstIndex(values: Float64Array, past: (x: number) => boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(values[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function columnGroups(column: Column): ColumnGroups {
  const { group, distinct } = isNumeric(column) ? ranks(column.values) : { group: column.codes, distinct: null };
  const n = group.length;
  let top = -1;
  for (let r = 0; r < n; r++) if (group[r] > top) top = group[r];
  // Counting sort: starts[g + 1] is where group g begins (g from -1).
  const starts = new Int32Array(top + 3);
  for (let r = 0; r < n; r++) starts[group[r] + 2]++;
  for (let g = 1; g < starts.length; g++) starts[g] += starts[g - 1];
  const rows = new Int32Array(n);
  const next = starts.slice(0, -1);
  for (let r = 0; r < n; r++) rows[next[group[r] + 1]++] = r;
  return { column, group, rows, starts, distinct: distinct ?? new Float64Array(0) };
}

/**
 * Each value's rank among the column's distinct values (-1 for a missing one), and those values
 * ascending (0 and -0 are one value, as comparisons have it). One map lookup per row: values are
 * numbered as they first appear, and the numbers turned into ranks afterwards.
 */
function ranks(values: Float64Array): { group: Int32Array; distinct: Float64Array } {
  const numbers = new Map<number, number>();
  const group = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) group[r] = -1;
    else {
      let k = numbers.get(v);
      if (k === undefined) numbers.set(v, (k = numbers.size));
      group[r] = k;
    }
  }
  const seen = Float64Array.from(numbers.keys());
  const byValue = Int32Array.from(seen.keys()).sort((a, b) => seen[a] - seen[b]);
  const rankOf = new Int32Array(seen.length);
  byValue.forEach((k, rank) => (rankOf[k] = rank));
  for (let r = 0; r < values.length; r++) if (group[r] >= 0) group[r] = rankOf[group[r]];
  return { group, distinct: Float64Array.from(byValue, (k) => seen[k]) };
}
