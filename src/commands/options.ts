/** Option parsers and the flags every command shares (SPEC section 2). */
import { Command, InvalidArgumentError } from 'commander';
import { parseFiniteNumber } from '../core/schema/values.js';

/** Where a numeric flag's value may lie; an open end excludes its bound. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

const describeRange = ({ min, max, minOpen, maxOpen, integer }: NumberRange): string => {
  const kind = integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined)
    return `${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min !== undefined) return `${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return kind;
};

/** The one numeric flag parser: a finite decimal literal (never '', '0x10' or '1e400') inside `range`. */
export function numberOption(range: NumberRange) {
  return (text: string): number => {
    const value = parseFiniteNumber(text);
    const { min, max, minOpen, maxOpen, integer } = range;
    const outside =
      value === undefined ||
      (integer && !Number.isSafeInteger(value)) ||
      (min !== undefined && (minOpen ? value <= min : value < min)) ||
      (max !== undefined && (maxOpen ? value >= max : value > max));
    if (outside) throw new InvalidArgumentError(`expected ${describeRange(range)}, got '${text}'.`);
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
    .option('-q, --quiet', 'print nothing on stderr but errors (data on stdout is unaffected)')
    .option('--no-color', 'no colours (also NO_COLOR or TERM=dumb)')
    .option('--seed <n>', 'seed for everything random, so a run can be repeated', integerOption(0), 0)
    .option('--debug', 'show stack traces of internal errors');
}
