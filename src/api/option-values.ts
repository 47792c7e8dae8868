/**
 * The numbers an API call is given, checked as the CLI's parsers check its flags: a NaN or an
 * infinity compares false with every bound, so an unchecked `total_epsilon: NaN` would pass every
 * budget check and spend without limit.
 */
import { optionError } from '../core/errors.js';

export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  /** The bound itself is outside. */
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

/** Refuses (exit 2, naming the option) a value that is not a finite number in the range; undefined passes. */
export function checkNumbers(
  values: Readonly<Record<string, unknown>>,
  ranges: Readonly<Record<string, NumberRange>>,
): void {
  for (const [option, range] of Object.entries(ranges)) {
    const value = values[option];
    if (value === undefined) continue;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!range.integer || Number.isInteger(value)) &&
      (range.min === undefined || (range.minOpen ? value > range.min : value >= range.min)) &&
      (range.max === undefined || (range.maxOpen ? value < range.max : value <= range.max));
    if (!ok) {
      const wanted = describe(range);
      throw optionError(
        'usage',
        option,
        `{${option}} ${String(value)} is not ${wanted}`,
        `Give {${option}} ${wanted}.`,
      );
    }
  }
}

function describe(range: NumberRange): string {
  const what = range.integer ? 'a whole number' : 'a number';
  const low = range.min === undefined ? '' : `${range.minOpen ? 'above' : 'at least'} ${range.min}`;
  const high = range.max === undefined ? '' : `${range.maxOpen ? 'below' : 'at most'} ${range.max}`;
  return [what, [low, high].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

export const POSITIVE: NumberRange = { min: 0, minOpen: true };
export const OPEN_UNIT: NumberRange = { min: 0, max: 1, minOpen: true, maxOpen: true };
export const FRACTION: NumberRange = { min: 0, max: 1, maxOpen: true };
export const COUNT: NumberRange = { min: 1, integer: true };
export const SEED: NumberRange = { min: 0, integer: true };
