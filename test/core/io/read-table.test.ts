import { describe, expect, it } from '@jest/globals';
import { GesalpError } from '../../../src/core/errors.js';
import { readText, rawValues } from '../../helpers/csv.js';

describe('readCsv', () => {
  it('reads RFC 4180 quoting: commas, doubled quotes and newlines inside quotes', async () => {
    const { table } = await readText('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nplain,,3\r\n', 3);
    expect(table.rowCount).toBe(2);
    expect(rawValues(table.columns[0])).toEqual(['x, y', 'plain']);
    expect(rawValues(table.columns[1])).toEqual(['say "hi"', '']);
    expect(rawValues(table.columns[2])).toEqual(['two\nlines', '3']);
  });

  it('drops a UTF-8 byte order mark and accepts LF, CRLF and a missing final newline', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name,n\nÄpfel,1\r\nzoë,2')]);
    const { table } = await readText(bom, 5);
    expect(table.columns.map((c) => c.name)).toEqual(['name', 'n']);
    expect(rawValues(table.columns[0])).toEqual(['Äpfel', 'zoë']);
  });

  it('treats an empty field as missing and skips blank lines', async () => {
    const { table } = await readText('a,b\n1,\n\n,2\n');
    expect(rawValues(table.columns[0])).toEqual(['1', '']);
    expect(Array.from(table.columns[1].codes)).toEqual([-1, 0]);
  });

  it('gives the same table whatever the chunk size', async () => {
    const text = 'k,v\n' + Array.from({ length: 50 }, (_, i) => `"k${i}\n",${i}.5`).join('\n');
    const reference = await readText(text, 1 << 20);
    for (const chunk of [1, 2, 13]) {
      const { table } = await readText(text, chunk);
      expect(rawValues(table.columns[0])).toEqual(rawValues(reference.table.columns[0]));
      expect(rawValues(table.columns[1])).toEqual(rawValues(reference.table.columns[1]));
    }
  });

  const rejects = async (text: string, message: RegExp) => {
    const error = await readText(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GesalpError);
    expect((error as GesalpError).exitCode).toBe(3);
    expect((error as GesalpError).message).toMatch(message);
    expect((error as GesalpError).hint).toBeTruthy();
  };

  it('rejects a ragged row naming its line', () =>
    rejects('a,b\n1,2\n3\n', /line 3 has 1 fields but the header has 2/));
  it('rejects an empty file', () => rejects('', /is empty/));
  it('rejects a header without rows', () => rejects('a,b\n', /header but no rows/));
  it('rejects an unclosed quote', () => rejects('a,b\n"1,2\n', /never closed/));
  it('rejects a duplicate column name', () => rejects('a,a\n1,2\n', /appears twice/));
  it('rejects a column without a name', () => rejects(',a\n0,1\n', /has no name/));
  it('rejects text that is not UTF-8', async () => {
    const error = (await readText(Buffer.from([0x61, 0x0a, 0xe9, 0x0a])).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it.each([
    [
      'UTF-16LE with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]),
    ],
    ['UTF-16LE without a mark', Buffer.from('a,b\n1,2\n', 'utf16le')],
    ['UTF-16BE with a byte order mark', Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x0a, 0, 0x31, 0, 0x0a])],
  ])('names %s as UTF-16 and hints iconv -f UTF-16, not latin1', async (_, bytes) => {
    const error = (await readText(bytes).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('test.csv is UTF-16 text, not UTF-8');
    expect(error.hint).toMatch(/iconv -f UTF-16 -t UTF-8/);
    expect(error.hint).not.toMatch(/latin1/);
  });

  it('refuses NUL bytes that are not UTF-16 as not a text file, naming the byte', async () => {
    const binary = Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(600, 0x31), Buffer.from([0, 0, 0, 0x31, 0x0a])]);
    const error = (await readText(binary, 64).catch((e: unknown) => e)) as GesalpError;
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('test.csv holds a NUL byte at byte 605: it is not a CSV text file');
  });
});
