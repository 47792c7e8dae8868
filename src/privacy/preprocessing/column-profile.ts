/**
 * A column's kind and rounding under DP, from one small noisy histogram (SPEC section 8: under DP
 * nothing is inferred from rows outside the budget). Each value falls in exactly one cell:
 *
 *   missing | text | date | date-time | whole number | fraction
 *
 * so one row more changes one count by one, and Laplace(1/epsilon) on every count is epsilon-DP.
 * What is read off the noisy counts is post-processing:
 * - the kind is the group (numbers, dates, text) with the largest noisy count; values of another
 *   group become missing in that column;
 * - a numeric column holds whole numbers (its step is then 1) unless the fraction cell stands out
 *   of its noise: above 3 noise scales and 2 % of the whole numbers (a column of whole numbers is
 *   then read as fractional, and left unrounded, with probability about 2.5 %);
 * - a date column keeps whole days by the same rule on its date-time cell.
 * Six cells, not one per scale: the kind needs only coarse shares, and few cells keep the noise of
 * each group's sum small on a small table.
 */
import { canonicalCell } from '../../core/row-digest.js';
import { isNumberText, parseIsoDate } from '../../core/schema/values.js';
import type { Column } from '../../core/table.js';
import { noisyCounts } from '../noisy-histogram.js';

const MISSING = 0;
const TEXT = 1;
const DATE = 2;
const DATE_TIME = 3;
const WHOLE = 4;
const FRACTION = 5;
export const PROFILE_CELLS = 6;

/** A cell stands out of its noise above this many noise scales (and this share of its companion cell). */
const STANDS_OUT_SCALES = 3;
const STANDS_OUT_SHARE = 0.02;

export type ProfiledKind = 'numeric' | 'datetime' | 'categorical';

export interface ColumnProfile {
  readonly kind: ProfiledKind;
  /** Numeric: whole numbers only. */
  readonly integer: boolean;
  /** Datetime: whole days only. */
  readonly dateOnly: boolean;
  /** How the decision was read, for the report. */
  readonly how: string;
  /** The deciding count was within a few noise scales of nothing: the kind may be noise (too few rows for the epsilon). */
  readonly weak: boolean;
}

/** Below this many noise scales the deciding count is not clearly more than noise. */
const WEAK_SCALES = 5;

const numberCell = (value: number): number => (Number.isInteger(value) ? WHOLE : FRACTION);

/** The cell of a text (canonical: missing markers are missing, numbers numbers, dates dates). */
function textCell(text: string): number {
  const canonical = canonicalCell(text);
  if (canonical === '') return MISSING;
  if (isNumberText(text)) return numberCell(Number(canonical));
  const seconds = parseIsoDate(text);
  if (!Number.isNaN(seconds)) return seconds % 86400 === 0 ? DATE : DATE_TIME;
  return TEXT;
}

/** The exact counts of the column's values per cell. */
export function profileCounts(column: Column): number[] {
  const counts = new Array<number>(PROFILE_CELLS).fill(0);
  if (column.kind === 'categorical') {
    const cells = column.levels.map(textCell);
    for (const code of column.codes) counts[code < 0 ? MISSING : cells[code]]++;
  } else {
    for (const value of column.values) {
      if (Number.isNaN(value)) counts[MISSING]++;
      else if (column.kind === 'datetime') counts[value % 86400 === 0 ? DATE : DATE_TIME]++;
      else counts[numberCell(value)]++;
    }
  }
  return counts;
}

/** The epsilon-DP profile of a column; `declared`: a kind the user declared, which the profile then only refines. */
export function releaseProfile(column: Column, epsilon: number, declared?: ProfiledKind): ColumnProfile {
  return readProfile(noisyCounts(profileCounts(column), epsilon), 1 / epsilon, declared);
}

/** The decisions read off a noisy profile with noise scale `scale` (exported for tests: pure post-processing). */
export function readProfile(noisy: readonly number[], scale: number, declared?: ProfiledKind): ColumnProfile {
  const count = (cell: number) => Math.max(0, noisy[cell]);
  const standsOut = (cell: number, beside: number) =>
    noisy[cell] > STANDS_OUT_SCALES * scale + STANDS_OUT_SHARE * count(beside);
  const numbers = count(WHOLE) + count(FRACTION);
  const dates = count(DATE) + count(DATE_TIME);
  const text = count(TEXT);
  const kind =
    declared ?? (numbers >= dates && numbers >= text ? 'numeric' : dates >= text ? 'datetime' : 'categorical');
  const how = declared ? `noisy profile (kind declared ${declared})` : 'noisy profile';
  const weak = Math.max(numbers, dates, text) < WEAK_SCALES * scale;
  if (kind === 'numeric') {
    const integer = !standsOut(FRACTION, WHOLE);
    return { kind, integer, dateOnly: false, weak, how: `${how}: ${integer ? 'whole numbers' : 'numbers'}` };
  }
  if (kind === 'datetime') {
    const dateOnly = !standsOut(DATE_TIME, DATE);
    return { kind, integer: false, dateOnly, weak, how: `${how}: ${dateOnly ? 'dates' : 'date-times'}` };
  }
  return { kind, integer: false, dateOnly: false, weak, how: `${how}: text` };
}
