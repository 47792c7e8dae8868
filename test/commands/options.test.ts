import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';
import { fractionOption, integerOption, numberOption, positiveNumber } from '../../src/commands/options.js';

describe('numeric option parsers', () => {
  it('accept decimal literals inside their range', () => {
    expect(integerOption(0)('12')).toBe(12);
    expect(fractionOption(0, 1)('0.25')).toBe(0.25);
    expect(positiveNumber('1e-9')).toBe(1e-9);
    expect(numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true })('0.5')).toBe(0.5);
  });

  it.each(['1e400', '-1e400', 'Infinity', '', ' ', '0x10', 'NaN', '1,5'])(
    "refuse '%s' (overflowing, empty or not a decimal literal) in every parser",
    (text) => {
      for (const parse of [integerOption(0), fractionOption(0, 1, true), positiveNumber, numberOption({})])
        expect(() => parse(text)).toThrow(InvalidArgumentError);
    },
  );

  it('refuse values outside the range, naming it', () => {
    expect(() => integerOption(1)('0')).toThrow("expected a whole number >= 1, got '0'.");
    expect(() => integerOption(1)('1.5')).toThrow(InvalidArgumentError);
    expect(() => integerOption(1)('1e20')).toThrow(InvalidArgumentError);
    expect(() => positiveNumber('0')).toThrow("expected a number > 0, got '0'.");
    expect(() => numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true })('0')).toThrow(
      "expected a number in (0, 1), got '0'.",
    );
    expect(() => fractionOption(0, 1)('1')).toThrow("expected a number in [0, 1), got '1'.");
  });
});
