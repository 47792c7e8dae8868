import { describe, expect, it } from '@jest/globals';
import {
  isInfinityText,
  isMissingMarker,
  isNumberText,
  parseFiniteNumber,
  parseIsoDate,
} from '../../../src/core/schema/values.js';

describe('parseIsoDate', () => {
  it('reads dates and date-times as UTC seconds since 1970', () => {
    expect(parseIsoDate('1970-01-02')).toBe(86400);
    expect(parseIsoDate('2001-01-01 00:01')).toBe(978307260);
    expect(parseIsoDate('2001-01-01T00:01:30.5Z')).toBe(978307290.5);
  });

  it('applies an explicit offset', () => {
    expect(parseIsoDate('2001-01-01T02:00:00+02:00')).toBe(978307200);
  });

  it('rejects impossible dates and other text', () => {
    expect(parseIsoDate('2021-02-30')).toBeNaN();
    expect(parseIsoDate('2021-13-01')).toBeNaN();
    expect(parseIsoDate('01/02/2021')).toBeNaN();
  });
});

describe('value classification', () => {
  it('recognises numbers strictly', () => {
    expect(['1', '-2.5', '.5', '1e-3', ' 7 '].every(isNumberText)).toBe(true);
    expect(['1,000', '0x10', '', 'NaN', '1.2.3'].some(isNumberText)).toBe(false);
  });

  it('knows the usual missing markers', () => {
    expect(['NA', 'NaN', 'null', 'None', 'n/a', '?'].every(isMissingMarker)).toBe(true);
    expect(isMissingMarker('Nairobi')).toBe(false);
  });
});

describe('parseFiniteNumber', () => {
  it('reads decimal literals', () => {
    expect(['1', '-2.5', '.5', '1e-3', ' 7 ', '+1.5'].map(parseFiniteNumber)).toEqual([1, -2.5, 0.5, 0.001, 7, 1.5]);
  });

  it('refuses what Number() would take: empty text, hex, and literals that overflow to Infinity', () => {
    expect(['', ' ', '0x10', '1e400', '-1e400', '1e309', 'Infinity', 'NaN'].map(parseFiniteNumber)).toEqual(
      Array(8).fill(undefined),
    );
  });

  it('counts an overflowing literal as an infinity', () => {
    expect(['1e400', '-2e308', 'inf', '-Infinity'].every(isInfinityText)).toBe(true);
    expect(['1e308', '-3', 'info'].some(isInfinityText)).toBe(false);
  });
});
