import { describe, expect, it } from '@jest/globals';
import type { Schema } from '../../src/core/schema/schema.js';
import { PUBLIC_BOUNDS_MAX_BYTES, parsePublicBounds } from '../../src/privacy/preprocessing/public-bounds.js';

const schema: Schema = {
  columns: [
    { name: 'age', kind: 'numeric', reason: 'test' },
    { name: 'day', kind: 'datetime', reason: 'test' },
    { name: 'job', kind: 'categorical', reason: 'test' },
    { name: 'code', kind: 'categorical', reason: 'test', numericLabels: true },
  ],
};

const parse = (doc: unknown) =>
  parsePublicBounds(typeof doc === 'string' ? doc : JSON.stringify(doc), 'b.json', schema);

function refusal(doc: unknown): string {
  try {
    parse(doc);
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(3);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('parsePublicBounds', () => {
  it('reads bounds, steps, quantiles, dates and category lists', () => {
    const bounds = parse({
      columns: {
        age: { min: 17, max: 90, step: 1, missing: false, quantiles: [17, 40, 90] },
        day: { min: '2020-01-01', max: 1893456000 },
        job: { categories: ['Private', 'State-gov'] },
        code: { categories: ['1.0', 2] },
      },
    });
    expect(bounds.get('age')).toEqual({
      kind: 'numeric',
      min: 17,
      max: 90,
      step: 1,
      missing: false,
      quantiles: [17, 40, 90],
    });
    expect(bounds.get('day')).toEqual({ kind: 'numeric', min: 1577836800, max: 1893456000 });
    expect(bounds.get('job')).toEqual({ kind: 'categorical', categories: ['Private', 'State-gov'] });
    // Integer-coded categories compare as numbers, like the table's levels.
    expect(bounds.get('code')).toEqual({ kind: 'categorical', categories: ['1', '2'] });
  });

  it.each([
    ['not JSON', '{"columns": ', /b\.json: is not JSON/],
    ['a list at the top', [], /holds a list, not an object/],
    ['an unknown top-level key', { columns: {}, extra: 1 }, /"extra" is not a key/],
    ['an unknown column', { columns: { agee: { min: 1, max: 2 } } }, /"columns\.agee" is not a column/],
    [
      'bounds on a categorical column',
      { columns: { job: { min: 1, max: 2 } } },
      /"columns\.job\.min" is not a key here/,
    ],
    [
      'categories on a numeric column',
      { columns: { age: { categories: ['a'] } } },
      /"columns\.age\.categories" is not a key/,
    ],
    ['min >= max', { columns: { age: { min: 5, max: 5 } } }, /"columns\.age\.min" is 5, not below "max" 5/],
    ['a text bound on a numeric column', { columns: { age: { min: '1', max: 5 } } }, /"columns\.age\.min" is the text/],
    ['a missing max', { columns: { age: { min: 1 } } }, /"columns\.age\.max" is missing/],
    [
      'duplicate categories',
      { columns: { job: { categories: ['a', 'b', 'a'] } } },
      /"columns\.job\.categories\[2\]" repeats/,
    ],
    ['numerically equal codes', { columns: { code: { categories: ['1', '1.0'] } } }, /repeats the category "1"/],
    ['an empty category list', { columns: { job: { categories: [] } } }, /not a list of 1 to/],
    [
      'an object as a category',
      { columns: { job: { categories: [{}] } } },
      /"columns\.job\.categories\[0\]" is an object/,
    ],
    ['decreasing quantiles', { columns: { age: { min: 0, max: 9, quantiles: [0, 5, 4, 9] } } }, /quantiles\[2\]" is 4/],
    ['quantiles off the bounds', { columns: { age: { min: 0, max: 9, quantiles: [1, 9] } } }, /runs from 1 to 9/],
    ['a negative step', { columns: { age: { min: 0, max: 9, step: -1 } } }, /"columns\.age\.step" is number -1/],
    ['missing as text', { columns: { age: { min: 0, max: 9, missing: 'no' } } }, /"columns\.age\.missing" is the text/],
  ])('refuses %s (exit 3, naming the file and the key)', (_what, doc, message) => {
    expect(refusal(doc)).toMatch(message);
  });

  it('refuses deeply nested and oversized input without crashing or hanging', () => {
    const deep = `${'['.repeat(200000)}${']'.repeat(200000)}`;
    const started = performance.now();
    expect(refusal(deep)).toMatch(/b\.json/);
    expect(refusal(`{"columns": ${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}}`)).toMatch(/b\.json/);
    expect(refusal(' '.repeat(PUBLIC_BOUNDS_MAX_BYTES + 1))).toMatch(/larger than/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
