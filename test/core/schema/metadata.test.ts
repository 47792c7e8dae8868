import { describe, expect, it } from '@jest/globals';
import { draftMetadata } from '../../../src/core/schema/draft-metadata.js';
import {
  checkMetadataColumns,
  formatMetadata,
  METADATA_MAX_BYTES,
  parseMetadata,
  refuseDraft,
} from '../../../src/core/schema/metadata.js';
import { inferSchema } from '../../../src/core/schema/infer.js';
import { TableEncoder } from '../../../src/core/schema/encode.js';
import type { RawTable } from '../../../src/core/io/raw-table.js';

const parse = (doc: unknown) => parseMetadata(typeof doc === 'string' ? doc : JSON.stringify(doc), 'm.json');

function refusal(doc: unknown): string {
  try {
    parse(doc);
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(3);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('parseMetadata', () => {
  it('reads kinds, bounds, steps, quantiles, dates, category lists and the row count', () => {
    const m = parse({
      gesalp_metadata: 1,
      drafted_from_data: true,
      rows: 344,
      columns: {
        age: { kind: 'integer', min: 17, max: 90, missing: false, quantiles: [17, 40, 90] },
        day: { min: '2020-01-01', max: 1893456000 },
        job: { categories: ['Private', 'State-gov'] },
        code: { kind: 'categorical', categories: ['1.0', 2] },
        email: { kind: 'pii', pii: 'email' },
      },
    });
    expect(m.draftedFromData).toBe(true);
    expect(m.rows).toBe(344);
    expect([...m.columns.keys()]).toEqual(['age', 'day', 'job', 'code', 'email']);
    expect(m.columns.get('age')).toEqual({
      kind: 'integer',
      min: 17,
      max: 90,
      missing: false,
      quantiles: [17, 40, 90],
    });
    // A date written as a date declares the kind.
    expect(m.columns.get('day')).toEqual({ kind: 'datetime', min: 1577836800, max: 1893456000 });
    expect(m.columns.get('job')).toEqual({ categories: ['Private', 'State-gov'] });
    expect(m.columns.get('code')).toEqual({ kind: 'categorical', categories: ['1.0', '2'] });
    expect(m.columns.get('email')).toEqual({ kind: 'pii', pii: 'email' });
  });

  it('still reads a public bounds file of the earlier format (bounds and categories, no kinds)', () => {
    const m = parse({ columns: { age: { min: 0, max: 120 }, job: { categories: ['a'] } } });
    expect(m.draftedFromData).toBe(false);
    expect(m.columns.get('age')).toEqual({ min: 0, max: 120 });
  });

  it.each([
    ['not JSON', '{"columns": ', /m\.json: is not JSON/],
    ['a list at the top', [], /holds a list, not an object/],
    ['an unknown top-level key', { columns: {}, extra: 1 }, /"extra" is not a key/],
    ['an unknown kind', { columns: { a: { kind: 'float' } } }, /"columns\.a\.kind" is the text "float", not one of/],
    ['bounds beside categories', { columns: { a: { min: 1, max: 2, categories: ['x'] } } }, /both appear/],
    [
      'bounds on a categorical column',
      { columns: { a: { kind: 'categorical', min: 1, max: 2 } } },
      /takes "categories"/,
    ],
    ['categories on a numeric column', { columns: { a: { kind: 'numeric', categories: ['a'] } } }, /takes bounds/],
    ['bounds on an identifier', { columns: { a: { kind: 'identifier', min: 1, max: 2 } } }, /never learned/],
    ['min >= max', { columns: { age: { min: 5, max: 5 } } }, /"columns\.age\.min" is 5, not below "max" 5/],
    ['a range that overflows', { columns: { age: { min: -1e308, max: 1e308 } } }, /overflows a number/],
    ['a text bound on a numeric column', { columns: { age: { kind: 'numeric', min: '1', max: 5 } } }, /is the text/],
    ['a missing max', { columns: { age: { min: 1 } } }, /"columns\.age\.max" is missing/],
    ['duplicate categories', { columns: { job: { categories: ['a', 'b', 'a'] } } }, /categories\[2\]" repeats/],
    ['an empty category list', { columns: { job: { categories: [] } } }, /not a list of 1 to/],
    ['an object as a category', { columns: { job: { categories: [{}] } } }, /categories\[0\]" is an object/],
    ['decreasing quantiles', { columns: { age: { min: 0, max: 9, quantiles: [0, 5, 4, 9] } } }, /quantiles\[2\]" is 4/],
    ['quantiles off the bounds', { columns: { age: { min: 0, max: 9, quantiles: [1, 9] } } }, /runs from 1 to 9/],
    ['a negative step', { columns: { age: { min: 0, max: 9, step: -1 } } }, /"columns\.age\.step" is number -1/],
    ['missing as text', { columns: { age: { min: 0, max: 9, missing: 'no' } } }, /"columns\.age\.missing" is the text/],
    ['a row count of 0', { rows: 0, columns: {} }, /"rows" is number 0/],
    ['another version', { gesalp_metadata: 2, columns: {} }, /reads version 1/],
    [
      'a repeated marker',
      '{"drafted_from_data": true, "drafted_from_data": false, "columns": {}}',
      /holds the key "drafted_from_data" twice/,
    ],
    [
      'a column declared twice',
      '{"columns": {"a": {"kind": "numeric"}, "a": {"kind": "categorical"}}}',
      /holds the key "columns"\."a" twice/,
    ],
  ])('refuses %s (exit 3, naming the file and the key)', (_what, doc, message) => {
    expect(refusal(doc)).toMatch(message);
  });

  it('refuses deeply nested and oversized input without crashing or hanging', () => {
    const deep = `${'['.repeat(200000)}${']'.repeat(200000)}`;
    const started = performance.now();
    expect(refusal(deep)).toMatch(/m\.json/);
    expect(refusal(`{"columns": ${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}}`)).toMatch(/m\.json/);
    expect(refusal(' '.repeat(METADATA_MAX_BYTES + 1))).toMatch(/larger than/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a column the table lacks, with the closest name', () => {
    const m = parse({ columns: { agee: { min: 1, max: 2 } } });
    expect(() => checkMetadataColumns(m, ['age', 'job'], 'm.json')).toThrow(/"columns\.agee" is not a column/);
  });

  it('refuses (exit 2) an unreviewed draft where it would be declared public', () => {
    const draft = parse({ drafted_from_data: true, columns: {} });
    expect(() => refuseDraft(draft, 'm.json')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => refuseDraft(parse({ columns: {} }), 'm.json')).not.toThrow();
  });
});

describe('draftMetadata', () => {
  const raw = (columns: Record<string, string[]>): RawTable => {
    const names = Object.keys(columns);
    const rows = columns[names[0]].length;
    return {
      source: 't.csv',
      rowCount: rows,
      columns: names.map((name) => {
        const levels = [...new Set(columns[name].filter((v) => v !== ''))];
        return {
          name,
          levels,
          codes: Int32Array.from(columns[name], (v) => (v === '' ? -1 : levels.indexOf(v))),
        };
      }),
    };
  };

  it('drafts kinds, bounds, steps, categories and missingness, marked as drafted, and reads back as it wrote', () => {
    const n = 80;
    const r = raw({
      id: Array.from({ length: n }, (_, i) => `P-${1000 + i}`),
      mass: Array.from({ length: n }, (_, i) => String(3000 + i * 10)),
      bill: Array.from({ length: n }, (_, i) => (i === 3 ? '' : (30 + i / 10).toFixed(1))),
      island: Array.from({ length: n }, (_, i) => ['Biscoe', 'Dream'][i % 2]),
      day: Array.from({ length: n }, (_, i) => `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`),
      browser: Array.from({ length: n }, (_, i) => String(1 + (i % 14))),
    });
    const schema = inferSchema(r);
    const table = new TableEncoder(schema).encode(r);
    const draft = draftMetadata(table, schema);
    expect(draft.draftedFromData).toBe(true);
    expect(draft.rows).toBe(n);
    expect(draft.columns.get('id')).toMatchObject({ kind: 'identifier' });
    expect(draft.columns.get('mass')).toEqual({ kind: 'integer', min: 3000, max: 3790, missing: false });
    expect(draft.columns.get('bill')).toEqual({ kind: 'numeric', min: 30, max: 37.9, step: 0.1, missing: true });
    expect(draft.columns.get('island')).toEqual({
      kind: 'categorical',
      categories: ['Biscoe', 'Dream'],
      missing: false,
    });
    expect(draft.columns.get('day')).toMatchObject({ kind: 'datetime', step: 86400 });
    expect(draft.columns.get('browser')?.note).toMatch(/looks like codes: set "kind": "categorical"/);
    const text = formatMetadata(draft);
    expect(text).toMatch(/"drafted_from_data": true/);
    expect(text).toMatch(/"min": "2020-01-01"/);
    const back = parseMetadata(text, 'draft.json');
    expect(back.columns.get('day')).toEqual(draft.columns.get('day'));
    expect(back.columns.get('mass')).toEqual(draft.columns.get('mass'));
  });
});
