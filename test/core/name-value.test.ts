import { describe, expect, it } from '@jest/globals';
import type { GesalpError } from '../../src/core/errors.js';
import { parseNameValues, splitNameValue } from '../../src/core/name-value.js';

const spec = {
  where: '--params',
  noun: 'parameter',
  example: '--params n_iter=300',
  names: ['n_iter', 'lr'],
  value: (_: string, text: string) => Number(text),
};

const refusal = (items: string[]) => {
  try {
    parseNameValues(items, spec);
  } catch (e) {
    return e as GesalpError;
  }
  return undefined;
};

describe('splitNameValue', () => {
  it('splits at the first = and trims both sides', () => {
    expect(splitNameValue(' a = b=c ')).toEqual({ name: 'a', text: 'b=c' });
    expect(splitNameValue('a=')).toEqual({ name: 'a', text: '' });
  });

  it('has nothing for an item without a name before =', () => {
    expect([splitNameValue('a'), splitNameValue('=1'), splitNameValue(' =1')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('parseNameValues', () => {
  it('reads each item through the value parser', () => {
    expect(parseNameValues(['n_iter=300', 'lr=0.002'], spec)).toEqual(
      new Map([
        ['n_iter', 300],
        ['lr', 0.002],
      ]),
    );
  });

  it('refuses an item that is not name=value, an unknown name with the valid ones, and a name given twice', () => {
    expect(refusal(['n_iter'])).toMatchObject({ exitCode: 2, message: "--params: 'n_iter' is not name=value" });
    expect(refusal(['n_itr=3'])).toMatchObject({
      exitCode: 2,
      message: "--params: unknown parameter 'n_itr'",
      hint: "Did you mean 'n_iter'? Valid names: n_iter, lr.",
    });
    expect(refusal(['lr=1', 'lr=2'])).toMatchObject({ exitCode: 2, message: '--params names lr twice' });
  });
});
