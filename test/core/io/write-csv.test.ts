import { describe, expect, it } from '@jest/globals';
import { countFormulaCells, excelSafeText, isFormulaLike, tableToCsv } from '../../../src/core/io/write-csv.js';
import type { NumericColumn } from '../../../src/core/table.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

const dangerous = [
  '=1+2',
  '=HYPERLINK("http://x","y")',
  '+SUM(A1:A2)',
  '-2+3',
  '@cmd',
  '\t=1',
  '\r=1',
  '-A1',
  '+1 555 0100',
];
const harmless = ['-3', '+1.5', '-1e-5', ' 7', 'plain', '-', '+', '@', 'a=b', ''];

describe('formula-like cells (CSV injection)', () => {
  it('flags cells a spreadsheet would run, and leaves numbers and plain text alone', () => {
    expect(dangerous.filter(isFormulaLike)).toEqual(dangerous);
    expect(harmless.filter(isFormulaLike)).toEqual([]);
  });

  it('prefixes only formula-like cells with a single quote', () => {
    expect(excelSafeText('=1+2')).toBe("'=1+2");
    expect(excelSafeText('-3')).toBe('-3');
  });
});

describe('tableToCsv', () => {
  const levels = ['=1+2', 'ok', '-3', '@SUM(1,2)'];
  const data = table(
    numeric('n', [-3, 1.5, NaN, -0.25]),
    categorical('c', [0, 1, 2, 3], levels),
    categorical('=cmd|x', [1, 1, -1, 1], levels),
  );

  it('writes cells verbatim by default', () => {
    expect(tableToCsv(data)).toBe('n,c,=cmd|x\n-3,=1+2,ok\n1.5,ok,ok\n,-3,\n-0.25,"@SUM(1,2)",ok\n');
  });

  it('with excelSafe prefixes formula-like cells and column names, quoting where needed, numbers untouched', () => {
    expect(tableToCsv(data, { excelSafe: true })).toBe(
      "n,c,'=cmd|x\n-3,'=1+2,ok\n1.5,ok,ok\n,-3,\n-0.25,\"'@SUM(1,2)\",ok\n",
    );
  });

  it('counts the formula-like cells, column names included, so a command can warn', () => {
    expect(countFormulaCells(data)).toBe(3);
    expect(countFormulaCells(table(numeric('x', [-1, -2]), categorical('y', [0, 0], ['-3'])))).toBe(0);
  });

  it('counts a date before year 0, which ISO 8601 writes with a leading minus', () => {
    const dates: NumericColumn = { name: 'd', kind: 'datetime', values: Float64Array.of(-62198755200, 0) };
    expect(tableToCsv(table(dates))).toBe('d\n-000001-01-01\n1970-01-01\n');
    expect(countFormulaCells(table(dates))).toBe(1);
  });
});
