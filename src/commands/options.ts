/** Option parsers and the flags every command shares (SPEC section 2). */
import { Command, InvalidArgumentError } from 'commander';
import { usageError } from '../core/errors.js';

export function integerOption(min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(`expected a whole number >= ${min}, got '${text}'.`);
    return value;
  };
}

/** A number in [min, max) (or [min, max] when `inclusive`). */
export function fractionOption(min: number, max: number, inclusive = false) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || (inclusive ? value > max : value >= max)) {
      throw new InvalidArgumentError(`expected a number in [${min}, ${max}${inclusive ? ']' : ')'}, got '${text}'.`);
    }
    return value;
  };
}

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
    .option('-q, --quiet', 'print nothing on stderr but errors')
    .option('--no-color', 'no colours (also NO_COLOR or TERM=dumb)')
    .option('--seed <n>', 'seed for everything random, so a run can be repeated', integerOption(0), 0)
    .option('--debug', 'show stack traces of internal errors');
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`expected a positive number, got '${text}'.`);
  return value;
}

/** The one `name=value` parser of the command line (--param, --threshold, --metrics, --grid ...). */
export function nameValue(text: string, flag: string, example: string): { name: string; value: string } {
  const eq = text.indexOf('=');
  const name = text.slice(0, Math.max(0, eq)).trim();
  if (eq <= 0 || !name) throw usageError(`${flag} '${text}' is not name=value`, `Write it as ${flag} ${example}.`);
  return { name, value: text.slice(eq + 1).trim() };
}
