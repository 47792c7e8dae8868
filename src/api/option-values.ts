/**
 * The numbers an API call is given, checked as the CLI's parsers check its flags: a NaN or an
 * infinity compares false with every bound, so an unchecked `total_epsilon: NaN` would pass every
 * budget check and spend without limit.
 */
import { optionError } from '../core/errors.js';
import { describeRange, inRange, type NumberRange } from '../core/number-range.js';

/** Refuses (exit 2, naming the option) a value that is not a finite number in the range; undefined passes. */
export function checkNumbers(
  values: Readonly<Record<string, unknown>>,
  ranges: Readonly<Record<string, NumberRange>>,
): void {
  for (const [option, range] of Object.entries(ranges)) {
    const value = values[option];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !inRange(value, range)) {
      const wanted = describeRange(range);
      throw optionError(
        'usage',
        option,
        `{${option}} ${String(value)} is not ${wanted}`,
        `Give {${option}} ${wanted}.`,
      );
    }
  }
}

export const POSITIVE: NumberRange = { min: 0, minOpen: true };
export const OPEN_UNIT: NumberRange = { min: 0, max: 1, minOpen: true, maxOpen: true };
export const FRACTION: NumberRange = { min: 0, max: 1, maxOpen: true };
export const COUNT: NumberRange = { min: 1, integer: true };
export const SEED: NumberRange = { min: 0, integer: true };
