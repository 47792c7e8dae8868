/**
 * --delimiter, --quote, --decimal and --encoding for the commands that read tables, and the line that
 * prints each CSV input's dialect (given or sniffed) as it is read.
 */
import { Command, InvalidArgumentError } from 'commander';
import {
  describeDialect,
  parseDecimal,
  parseDelimiter,
  parseEncoding,
  parseQuote,
  type DecimalMark,
  type Delimiter,
  type DialectRequest,
  type Encoding,
  type Quote,
} from '../core/io/dialect.js';
import type { LoadOptions } from '../core/io/load-inputs.js';
import type { CommonOptions } from './io.js';

export interface DialectFlags {
  readonly delimiter?: Delimiter;
  readonly quote?: Quote;
  readonly decimal?: DecimalMark;
  readonly encoding?: Encoding;
}

const choice =
  <T>(parse: (text: string) => T | undefined, expected: string) =>
  (text: string): T => {
    const value = parse(text);
    if (value === undefined) throw new InvalidArgumentError(`expected ${expected}, got '${text}'.`);
    return value;
  };

export function withDialectOptions(command: Command): Command {
  return command
    .option(
      '--delimiter <char>',
      "CSV field delimiter: , ; tab or '|' (default: sniffed from the first 50 lines)",
      choice(parseDelimiter, ", ; tab or '|'"),
    )
    .option('--quote <char>', `CSV quote character: " or ' (default: sniffed)`, choice(parseQuote, `" or '`))
    .option(
      '--decimal <mark>',
      'decimal mark of the numbers: . or , (default: , in a ;-delimited file whose numbers read 1,5)',
      choice(parseDecimal, '. or ,'),
    )
    .option(
      '--encoding <name>',
      'text encoding: utf-8 (default, with or without BOM) or latin1 (read as Windows-1252)',
      choice(parseEncoding, 'utf-8 or latin1'),
    );
}

/**
 * loadInputs' reading options from the flags: the dialect asked for, and an info line per CSV input
 * read. `inputs`: the positions of the inputs the flags describe (default all; the rest are sniffed).
 */
export function readingOptions(
  options: CommonOptions & DialectFlags,
  console: { info(text: string): void },
  inputs?: readonly number[],
): Pick<LoadOptions, 'dialect' | 'dialectInputs' | 'onRead'> {
  const { delimiter, quote, decimal, encoding } = options;
  const dialect: DialectRequest = { delimiter, quote, decimal, encoding };
  return {
    dialect,
    ...(inputs ? { dialectInputs: inputs } : {}),
    onRead: (file) => {
      if (file.dialect) console.info(describeDialect(file.path, file.dialect));
    },
  };
}
