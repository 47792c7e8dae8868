import { describe, expect, it } from '@jest/globals';
import { inferSchema, MAX_INTEGER_CODES } from '../../../src/core/schema/infer.js';
import { TableEncoder } from '../../../src/core/schema/encode.js';
import { flagOf } from '../../../src/commands/flag-names.js';
import { GesalpError } from '../../../src/core/errors.js';
import type { CategoricalColumn, NumericColumn } from '../../../src/core/table.js';
import { readText } from '../../helpers/csv.js';

const raw = async (text: string) => (await readText(text, 1 << 16)).table;
const kinds = async (text: string, overrides = {}) =>
  inferSchema(await raw(text), [], overrides).columns.map((c) => c.kind);

describe('inferSchema', () => {
  it('tells numeric, datetime and categorical columns apart', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i * 1.5},2020-01-${String(i + 1).padStart(2, '0')},c${i % 3}`);
    expect(await kinds(`x,when,label\n${rows.join('\n')}`)).toEqual(['numeric', 'datetime', 'categorical']);
  });

  it(`treats integers with at most ${MAX_INTEGER_CODES} distinct values as categorical codes`, async () => {
    const few = Array.from({ length: 30 }, (_, i) => `${(i % 3) + 1},${i}`).join('\n');
    expect(await kinds(`code,count\n${few}`)).toEqual(['categorical', 'numeric']);
  });

  it('follows --discrete and --continuous', async () => {
    const text = `a,b\n${Array.from({ length: 30 }, (_, i) => `${i}.5,${i % 2}`).join('\n')}`;
    expect(await kinds(text, { discrete: ['a'], continuous: ['b'] })).toEqual(['categorical', 'numeric']);
  });

  it('rejects override names that are not columns, suggesting the closest', async () => {
    const error = (await kinds('age,b\n1,2', { discrete: ['agee'] }).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(2);
    expect(error.hint).toMatch(/Did you mean 'age'/);
  });

  it('reads NA and NaN as missing in a numeric column', async () => {
    const table = await raw(`x\n${Array.from({ length: 20 }, (_, i) => i + 0.5).join('\n')}\nNA\nNaN`);
    const schema = inferSchema(table);
    expect(schema.columns[0].kind).toBe('numeric');
    const values = (new TableEncoder(schema).encode(table).columns[0] as NumericColumn).values;
    expect(values.filter(Number.isNaN).length).toBe(2);
  });

  it('refuses infinite numbers with a hint', async () => {
    const error = (await kinds('x\n1.5\n2.5\nInfinity').catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/infinite/);
  });

  it('refuses a literal that overflows to Infinity (1e400), naming file, column and data row', async () => {
    const error = (await kinds('x,y\n1.5,a\n2.5,b\n1e400,c').catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe("test.csv: column 'x', data row 3: '1e400' is an infinite number");
  });

  it('takes the kind of a column with no real values from the next table', async () => {
    const real = await raw('x,y\n,1\n,2');
    const synthetic = await raw('x,y\na,1\nb,2');
    expect(inferSchema(real, [synthetic]).columns[0]).toMatchObject({
      kind: 'categorical',
      reason: expect.stringMatching(/kind read from/),
    });
  });
});

describe('TableEncoder', () => {
  it('refuses an infinite value in a numeric column of another table, naming file, column and row', async () => {
    const real = await raw(`x\n${Array.from({ length: 20 }, (_, i) => i + 0.25).join('\n')}`);
    const encoder = new TableEncoder(inferSchema(real));
    for (const text of ['1e400', '-1e999', 'inf']) {
      let error: GesalpError | undefined;
      try {
        encoder.encode({
          source: 'synthetic.csv',
          columns: [{ name: 'x', levels: ['1.5', text], codes: Int32Array.of(0, 0, 1) }],
          rowCount: 3,
        });
      } catch (e) {
        error = e as GesalpError;
      }
      expect(error?.exitCode).toBe(3);
      expect(error?.message).toBe(`synthetic.csv: column 'x', data row 3: '${text}' is an infinite number`);
    }
  });

  it('shares category codes across tables and compares integer codes as numbers', async () => {
    const real = await raw('c\n1\n2\n1');
    const synthetic = await raw('c\n2.0\n3\n1');
    const encoder = new TableEncoder(inferSchema(real));
    const [a, b] = [encoder.encode(real), encoder.encode(synthetic)].map((t) => t.columns[0] as CategoricalColumn);
    expect(a.levels).toEqual(['1', '2', '3']);
    expect(Array.from(b.codes)).toEqual([1, 2, 0]);
  });

  it('rejects a non-number in a numeric column of another table, naming row and fix', async () => {
    const real = await raw(`x\n${Array.from({ length: 20 }, (_, i) => i + 0.25).join('\n')}`);
    const encoder = new TableEncoder(inferSchema(real));
    const error = (() => {
      try {
        encoder.encode({
          ...real,
          source: 'synthetic.csv',
          columns: [{ name: 'x', levels: ['1.5', 'abc'], codes: Int32Array.of(0, 1) }],
          rowCount: 2,
        });
      } catch (e) {
        return e as GesalpError;
      }
    })();
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/synthetic\.csv: column 'x', data row 2: 'abc' is not a number/);
    // The library names the option; the CLI prints its flag there.
    expect(error?.option).toBe('discrete');
    expect(error?.hint).toMatch(/ with discrete x\./);
    expect(error?.phrased(flagOf).hint).toMatch(/ with --discrete x\./);
  });

  it('rejects tables whose columns differ, naming them', async () => {
    const encoder = new TableEncoder(inferSchema(await raw('a,b\n1,2')));
    const error = (() => {
      try {
        encoder.encode({
          source: 's.csv',
          rowCount: 1,
          columns: [
            { name: 'a', levels: ['1'], codes: Int32Array.of(0) },
            { name: 'c', levels: ['1'], codes: Int32Array.of(0) },
          ],
        });
      } catch (e) {
        return e as GesalpError;
      }
    })();
    expect(error?.message).toMatch(/s\.csv lacks b and has extra c/);
  });
});
