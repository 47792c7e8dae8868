/** Option parsers and the flags every command shares (SPEC section 2). */
import { Command, InvalidArgumentError } from 'commander';
import { describeRange, inRange, type NumberRange } from '../core/number-range.js';
import { parseFiniteNumber } from '../core/schema/values.js';

/** The one numeric flag parser: a finite decimal literal (never '', '0x10' or '1e400') inside `range`. */
export function numberOption(range: NumberRange) {
  return (text: string): number => {
    const value = parseFiniteNumber(text);
    if (value === undefined || !inRange(value, range))
      throw new InvalidArgumentError(`expected ${describeRange(range)}, got '${text}'.`);
    return value!;
  };
}

export const integerOption = (min: number) => numberOption({ min, integer: true });

/** A number in [min, max) (or [min, max] when `inclusive`). */
export const fractionOption = (min: number, max: number, inclusive = false) =>
  numberOption({ min, max, maxOpen: !inclusive });

export const positiveNumber = numberOption({ min: 0, minOpen: true });

export const listOption = (text: string, previous: string[] = []): string[] => [
  ...previous,
  ...text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export const repeatOption = (text: string, previous: string[] = []): string[] => [...previous, text];

export function withCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option(
      '-q, --quiet',
      'print nothing but errors and the data asked for (rows, JSON, the advice of analyze-failure and suggest): no messages, no summary tables',
    )
    .option('--no-color', 'no colours (also NO_COLOR or TERM=dumb)')
    .option('--seed <n>', 'seed for everything random, so a run can be repeated', integerOption(0), 0)
    .option('--debug', 'show stack traces of internal errors');
}
