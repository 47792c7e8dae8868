import { describe, expect, it } from '@jest/globals';
import { checkMetadataColumns, formatMetadata, parseMetadata } from '../../../src/core/schema/metadata.js';
import { bindConstraints, rowTest, type BoundConstraint } from '../../../src/core/schema/constraint-rows.js';
import type { Table } from '../../../src/core/table.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

const parse = (doc: unknown) => parseMetadata(JSON.stringify(doc), 'm.json');
const withConstraints = (constraints: unknown, columns: unknown = {}) => parse({ columns, constraints });

function refusal(run: () => unknown, exitCode = 3): string {
  try {
    run();
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(exitCode);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('the metadata file\'s "constraints"', () => {
  it('reads each type, remembers where it was written, and writes it back as it read it', () => {
    const m = withConstraints([
      { type: 'positive', column: 'age' },
      { type: 'range', column: 'age', max: 120, strict: true },
      { type: 'range', column: 'day', min: '2020-01-01' },
      { type: 'inequality', low: 'start', high: 'end' },
      {
        type: 'fixed_combinations',
        columns: ['city', 'country'],
        combinations: [
          ['Paris', 'France'],
          [1, null],
        ],
      },
    ]);
    expect(m.constraints).toEqual([
      { type: 'positive', column: 'age', source: { file: 'm.json', key: 'constraints[0]' } },
      { type: 'range', column: 'age', max: 120, strict: true, source: { file: 'm.json', key: 'constraints[1]' } },
      { type: 'range', column: 'day', min: 1577836800, dates: true, source: { file: 'm.json', key: 'constraints[2]' } },
      { type: 'inequality', low: 'start', high: 'end', source: { file: 'm.json', key: 'constraints[3]' } },
      {
        type: 'fixed_combinations',
        columns: ['city', 'country'],
        combinations: [
          ['Paris', 'France'],
          ['1', null],
        ],
        source: { file: 'm.json', key: 'constraints[4]' },
      },
    ]);
    const text = formatMetadata(m);
    expect(JSON.parse(text).constraints[2]).toEqual({ type: 'range', column: 'day', min: '2020-01-01' });
    expect(parseMetadata(text, 'm.json').constraints).toEqual(m.constraints);
    // No constraints: no key in the file, none in the object.
    expect(parse({ columns: {} }).constraints).toBeUndefined();
    expect(formatMetadata(parse({ columns: {} }))).not.toMatch(/constraints/);
  });

  it.each([
    ['a constraints object', { type: 'positive' }, {}, /"constraints" is an object, not a list/],
    ['an unknown type', [{ type: 'between', column: 'a' }], {}, /"constraints\[0\]\.type" is the text "between"/],
    [
      'an unknown key',
      [{ type: 'positive', column: 'a', min: 0 }],
      {},
      /"constraints\[0\]\.min" is not a key of positive/,
    ],
    ['a range without bounds', [{ type: 'range', column: 'a' }], {}, /"constraints\[0\]" has neither "min" nor "max"/],
    ['a range with min >= max', [{ type: 'range', column: 'a', min: 5, max: 1 }], {}, /"constraints\[0\]\.min" is 5/],
    ['a text bound', [{ type: 'range', column: 'a', min: 'zero' }], {}, /\.min" is the text "zero", not a finite/],
    ['strict as text', [{ type: 'positive', column: 'a', strict: 'yes' }], {}, /\.strict" is the text "yes"/],
    ['a column as a number', [{ type: 'positive', column: 3 }], {}, /\.column" is number 3, not a column name/],
    ['an inequality of one column', [{ type: 'inequality', low: 'a', high: 'a' }], {}, /\.high" names 'a' as "low"/],
    [
      'an inequality between a numeric and a categorical column',
      [{ type: 'inequality', low: 'a', high: 'job' }],
      { a: { kind: 'numeric' }, job: { kind: 'categorical' } },
      /"constraints\[0\]\.high" names 'job', declared categorical: inequality constraints take numeric/,
    ],
    [
      'an inequality between a number and a date',
      [{ type: 'inequality', low: 'a', high: 'day' }],
      { a: { kind: 'integer' }, day: { kind: 'datetime' } },
      /both must be dates, or neither/,
    ],
    [
      'a positive categorical column',
      [{ type: 'positive', column: 'job' }],
      { job: { categories: ['x'], kind: 'categorical' } },
      /names 'job', declared categorical/,
    ],
    [
      'a constraint on an identifier',
      [{ type: 'range', column: 'id', min: 0 }],
      { id: { kind: 'identifier' } },
      /names 'id', declared identifier/,
    ],
    [
      'fixed combinations of a numeric column',
      [{ type: 'fixed_combinations', columns: ['job', 'a'] }],
      { a: { kind: 'numeric' } },
      /columns\[1\]" names 'a', declared numeric/,
    ],
    [
      'fixed combinations of one column',
      [{ type: 'fixed_combinations', columns: ['a'] }],
      {},
      /not a list of two or more/,
    ],
    ['a repeated column', [{ type: 'fixed_combinations', columns: ['a', 'a'] }], {}, /columns\[1\]" repeats 'a'/],
    [
      'a combination of the wrong length',
      [{ type: 'fixed_combinations', columns: ['a', 'b'], combinations: [['x']] }],
      {},
      /combinations\[0\]" is a list, not a list of 2 values/,
    ],
    [
      'an object in a combination',
      [{ type: 'fixed_combinations', columns: ['a', 'b'], combinations: [['x', {}]] }],
      {},
      /combinations\[0\]\[1\]" is an object/,
    ],
  ])('refuses %s (exit 3, naming the file and the key)', (_what, constraints, columns, message) => {
    const refused = refusal(() => withConstraints(constraints, columns));
    expect(refused).toMatch(/^m\.json: "constraints/);
    expect(refused).toMatch(message);
  });

  it('refuses a constraint on a column the input lacks, with the closest name', () => {
    const m = withConstraints([{ type: 'inequality', low: 'start', high: 'ende' }]);
    expect(refusal(() => checkMetadataColumns(m, ['start', 'end'], 'm.json'))).toMatch(
      /m\.json: "constraints\[0\]\.high" names 'ende', which is not a column of the input/,
    );
  });
});

const train: Table = table(
  numeric('low', [1, 2, 3, 4]),
  numeric('high', [2, 2, 5, 9]),
  categorical('city', [0, 1, 2, -1], ['Paris', 'Lyon', 'Bern']),
  categorical('country', [0, 0, 1, 1], ['France', 'Switzerland']),
);
const bind = (constraints: unknown, context: { train?: Table; setAside?: string[] } = { train }) =>
  bindConstraints(withConstraints(constraints).constraints, { setAside: [], ...context });
const holding = (bound: BoundConstraint, batch: Table) => {
  const test = rowTest(bound, batch);
  return Array.from({ length: batch.rowCount }, (_, r) => test(r));
};

describe('constraints bound to the table and tested row by row', () => {
  it('tests each type, a missing number holding, and strictness', () => {
    const batch = table(
      numeric('low', [-1, 0, 3, NaN, 5]),
      numeric('high', [0, 0, 2, 1, 5]),
      categorical('city', [0, 2, 1, -1, 0], ['Paris', 'Lyon', 'Bern']),
      categorical('country', [0, 1, 0, 1, 1], ['France', 'Switzerland']),
    );
    const [positive, strictPositive, range, inequality, strictInequality, combinations] = bind([
      { type: 'positive', column: 'low' },
      { type: 'positive', column: 'low', strict: true },
      { type: 'range', column: 'low', min: 0, max: 4 },
      { type: 'inequality', low: 'low', high: 'high' },
      { type: 'inequality', low: 'low', high: 'high', strict: true },
      { type: 'fixed_combinations', columns: ['city', 'country'] },
    ]);
    expect(holding(positive, batch)).toEqual([false, true, true, true, true]);
    expect(holding(strictPositive, batch)).toEqual([false, false, true, true, true]);
    expect(holding(range, batch)).toEqual([false, true, true, true, false]);
    expect(holding(inequality, batch)).toEqual([true, true, false, true, true]);
    expect(holding(strictInequality, batch)).toEqual([true, false, false, true, false]);
    // Seen in training: Paris-France, Lyon-France, Bern-Switzerland, (missing)-Switzerland.
    expect(combinations.combinationsFrom).toBe('training rows');
    expect(holding(combinations, batch)).toEqual([true, true, true, true, false]);
  });

  it('matches listed combinations to the levels ("1.0" is the level "1"), and refuses a value no row holds', () => {
    const coded = table(categorical('a', [0, 1], ['1', '2']), categorical('b', [0, 1], ['x', 'y']));
    const [listed] = bind([{ type: 'fixed_combinations', columns: ['a', 'b'], combinations: [['1.0', 'x']] }], {
      train: coded,
    });
    expect(listed.combinationsFrom).toBe('metadata file');
    expect(holding(listed, coded)).toEqual([true, false]);
    expect(
      refusal(() =>
        bind([{ type: 'fixed_combinations', columns: ['city', 'country'], combinations: [['Pari', 'France']] }]),
      ),
    ).toMatch(/"constraints\[0\]\.combinations\[0\]\[0\]" is "Pari", which 'city' never holds/);
  });

  it('refuses kinds the typed table does not allow, and a column set aside as an identifier', () => {
    expect(refusal(() => bind([{ type: 'range', column: 'city', min: 0 }]))).toMatch(
      /"constraints\[0\]\.column" names 'city', a categorical column: range constraints take a numeric or date column/,
    );
    expect(refusal(() => bind([{ type: 'inequality', low: 'low', high: 'country' }]))).toMatch(/names 'country'/);
    expect(refusal(() => bind([{ type: 'fixed_combinations', columns: ['city', 'low'] }]))).toMatch(
      /columns\[1\]" names 'low', a numeric column/,
    );
    expect(refusal(() => bind([{ type: 'positive', column: 'low' }], { train, setAside: ['low'] }))).toMatch(
      /names 'low', an identifier or personal-data column set aside/,
    );
  });

  it('under DP (no training rows to read) refuses fixed combinations the file does not list, with exit 2', () => {
    const message = refusal(() => bind([{ type: 'fixed_combinations', columns: ['city', 'country'] }], {}), 2);
    expect(message).toMatch(
      /m\.json: "constraints\[0\]": under DP the fixed combinations of city, country cannot be read/,
    );
    const [listed] = bind(
      [{ type: 'fixed_combinations', columns: ['city', 'country'], combinations: [['Paris', 'France']] }],
      {},
    );
    expect(listed.combinations).toEqual([['Paris', 'France']]);
    // The other constraints are post-processing of the synthetic rows: bound, their kinds checked later.
    expect(bind([{ type: 'positive', column: 'city' }], {})).toHaveLength(1);
  });
});
