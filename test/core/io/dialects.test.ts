/**
 * CSV dialects (issue 27 item 2): each variant of the penguins reads as the comma file does, or is
 * refused naming the option (`error.option`; the CLI words it as its flag).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { flagOf } from '../../../src/commands/flag-names.js';
import { GesalpError } from '../../../src/core/errors.js';
import { loadInputs, type LoadOptions, type RawInputs } from '../../../src/core/io/load-inputs.js';
import { readCsv, type CsvOptions } from '../../../src/core/io/read-table.js';
import { rawValues, readText } from '../../helpers/csv.js';
import { PENGUINS, penguinsAs } from '../../helpers/dialect-variants.js';

let dir: string;
let comma: RawInputs;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const load = (path: string, options: LoadOptions = {}) => loadInputs([path], options);
const read = (content: string | Buffer, options: CsvOptions = {}) =>
  readCsv({ name: 'test.csv', stream: Readable.from([Buffer.from(content)]) }, options);

/** The error a promise rejects with, checked to be an input error (exit 3). */
async function inputError(promise: Promise<unknown>): Promise<GesalpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GesalpError);
  expect((error as GesalpError).exitCode).toBe(3);
  return error as GesalpError;
}

/** The error's texts as the CLI prints them: options named by their flags. */
const cli = (error: GesalpError) => error.phrased(flagOf);

/** Same columns, levels and values, raw and encoded, and the same schema. */
function expectSameTable(variant: RawInputs, reference: RawInputs = comma): void {
  expect(variant.raw[0].columns).toEqual(reference.raw[0].columns);
  expect(variant.schema).toEqual(reference.schema);
  expect(variant.tables).toEqual(reference.tables);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-dialects-'));
  comma = await load(PENGUINS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniffed delimiters and decimal commas', () => {
  it('reads the comma file as comma, quote ", decimal point, UTF-8, all sniffed', () => {
    expect(comma.files[0].dialect).toEqual({
      delimiter: ',',
      quote: '"',
      decimal: '.',
      encoding: 'utf-8',
      bom: false,
      sniffed: ['delimiter', 'quote', 'decimal'],
      sniffed_from: 'first rows',
    });
  });

  it.each([
    ['semicolon.csv', ';', '.', penguinsAs(';')],
    ['semicolon-decimal-comma.csv', ';', ',', penguinsAs(';', { decimalComma: true })],
    ['tab-crlf.tsv', '\t', '.', penguinsAs('\t', { crlf: true })],
    ['pipe.csv', '|', '.', penguinsAs('|')],
  ])('reads %s (delimiter %j, decimal %j sniffed) as the same table as the comma file', async (name, d, mark, text) => {
    const seen: string[] = [];
    const variant = await load(file(name, text), { onRead: (f) => seen.push(f.path) });
    expect(variant.files[0].dialect).toMatchObject({ delimiter: d, decimal: mark });
    expect(seen).toEqual([join(dir, name)]);
    expectSameTable(variant);
  });

  it('reads decimal commas in a tab file only when --decimal , says so', async () => {
    const path = file('tab-decimal-comma.tsv', penguinsAs('\t', { decimalComma: true }));
    expectSameTable(await load(path, { dialect: { decimal: ',' } }));
    // Sniffed, a tab file keeps its decimal point: 39,1 is then a number with a comma, refused rather than read as text.
    const error = await inputError(load(path));
    expect(error.message).toMatch(/column 'Beak Length \(mm\)', data row 1: '39,1' is a number written with a comma/);
    expect(error.option).toBe('decimal');
    expect(cli(error).hint).toMatch(/--decimal ,/);
  });

  it('sniffs a file longer than its 64 KiB head the same whatever the chunk size', async () => {
    const text = penguinsAs(';', { decimalComma: true });
    const long = text + text.slice(text.indexOf('\n') + 1).repeat(6);
    expect(long.length).toBeGreaterThan(64 * 1024);
    const whole = await read(long);
    const chunked = await readText(long, 101);
    expect(chunked.dialect).toEqual(whole.dialect);
    expect(whole.dialect?.decimal).toBe(',');
    expect(chunked.table).toEqual(whole.table);
    expect(whole.table.rowCount).toBe(344 * 7);
  });

  it('applies the flags to the inputs they describe and sniffs the others (evaluate: SYNTHETIC as gesalp writes it)', async () => {
    const tab = file('flagged.tsv', penguinsAs('\t', { decimalComma: true }));
    const both = await loadInputs([tab, PENGUINS], { dialect: { delimiter: '\t', decimal: ',' }, dialectInputs: [0] });
    expect(both.files.map((f) => [f.dialect?.delimiter, f.dialect?.decimal, f.dialect?.sniffed])).toEqual([
      ['\t', ',', ['quote']],
      [',', '.', ['delimiter', 'quote', 'decimal']],
    ]);
    expect(both.tables[0]).toEqual(comma.tables[0]);
    expect(both.tables[1]).toEqual(comma.tables[0]);
  });

  it('merges 1,5 and 1.5 into one value under a decimal comma', async () => {
    const { table } = await read('a;b\n1,5;x\n1.5;y\n2;z\n', { dialect: { decimal: ',' } });
    expect(table.columns[0].levels).toEqual(['1.5', '2']);
    expect(rawValues(table.columns[0])).toEqual(['1.5', '1.5', '2']);
  });

  it("sniffs ' as the quote only when fields are quoted with it", async () => {
    const single = await read("a,b\n'x, y',1\n'z',2\n");
    expect(single.dialect?.quote).toBe("'");
    expect(rawValues(single.table.columns[0])).toEqual(['x, y', 'z']);
    const apostrophe = await read('a,b\nit\'s,1\n"q",2\n');
    expect(apostrophe.dialect?.quote).toBe('"');
    expect(rawValues(apostrophe.table.columns[0])).toEqual(["it's", 'q']);
  });

  it('under DP sniffs the delimiter from the header alone and leaves the decimal mark to the flag', async () => {
    const text = penguinsAs(';', { decimalComma: true });
    const { table, dialect } = await read(text, { headerOnly: true });
    expect(dialect).toMatchObject({ delimiter: ';', decimal: '.', sniffed: ['delimiter', 'quote', 'decimal'] });
    expect(dialect?.sniffed_from).toBe('header');
    // No value may refuse a private input: the comma numbers stay text for the kinds' release to judge.
    expect(table.columns[2].levels[0]).toBe('39,1');
    const given = await read(text, { headerOnly: true, dialect: { decimal: ',' } });
    expect(given.table.columns[2].levels[0]).toBe('39.1');
  });
});

describe('refusals that name the option (the CLI: its flag)', () => {
  const semicolons = 'a;b;c\n1;2;3\n4;5\n6;7;8\n';

  it('refuses a header that splits on ; while the rows do not, instead of reading one column', async () => {
    const error = await inputError(read(semicolons));
    expect(error.message).toBe(
      "test.csv: the header holds ';', but split on it line 3 has 2 fields and the header 3; read with commas it would be one column",
    );
    expect(error.option).toBe('delimiter');
    expect(error.hint).toMatch(/delimiter ';'/);
    expect(cli(error).hint).toMatch(/--delimiter ';'/);
    // Given, the delimiter is used: the short row is then named as any ragged row.
    const given = await inputError(read(semicolons, { dialect: { delimiter: ';' } }));
    expect(given.message).toMatch(/line 3 has 2 fields but the header has 3 \(split on ';'\)/);
    // --delimiter , is the way to read such a file as one column on purpose.
    const one = await read(semicolons, { dialect: { delimiter: ',' } });
    expect(one.table.columns.map((c) => c.name)).toEqual(['a;b;c']);
  });

  it.each([
    ['tab', 'a\tb\n1\t2\n3\n', /the header holds tab/, /--delimiter tab/],
    ['|', 'a|b\n1|2|3\n', /the header holds '\|'/, /--delimiter '\|'/],
  ])('refuses the same with %s', async (_, text, message, hint) => {
    const error = await inputError(read(text));
    expect(error.message).toMatch(message);
    expect(cli(error).hint).toMatch(hint);
  });

  it.each([
    ['.', '1,234', 'n,m\n"1,234",2\n5,6\n', 'is a number written with a comma', /write 1234, not 1,234/],
    [',', '1.234', 'n;m\n1.234;2\n5,5;6\n', "has a '.' in a column of numbers read with decimal commas", /1234,5/],
    [',', '1.234,5', 'n;m\n1.234,5;2\n5,5;6\n', "has a '.'", /--decimal \./],
  ])(
    'reads no thousands separator (decimal %j): refuses a column of numbers holding %s',
    async (_, cell, text, message, hint) => {
      const error = await inputError(read(text));
      expect(error.message).toContain(`column 'n', data row 1: '${cell}' ${message}`);
      expect(cli(error).hint).toMatch(hint);
      expect(cli(error).hint).toMatch(/--discrete n/);
      // A column declared not numeric is left as text.
      const { table } = await read(text, { textColumns: ['n'] });
      expect(table.columns[0].levels).toHaveLength(2);
    },
  );

  it('leaves a text column whose values merely look like grouped numbers', async () => {
    const { table } = await read('n,m\n"1,234",2\nabc,6\n');
    expect(rawValues(table.columns[0])).toEqual(['1,234', 'abc']);
  });
});

describe('encodings', () => {
  // The penguins with one island written with a letter outside ASCII, in UTF-8 and in Latin-1.
  const accented = penguinsAs(',').replace(/Torgersen/g, 'Tørgersen');

  it('reads a Latin-1 file with --encoding latin1 as its UTF-8 twin, and refuses it without naming the flag', async () => {
    const utf8 = await load(file('accented.csv', accented));
    const latin1Path = file('latin1.csv', Buffer.from(accented, 'latin1'));
    const latin1 = await load(latin1Path, { dialect: { encoding: 'latin1' } });
    expect(latin1.files[0].dialect?.encoding).toBe('latin1');
    expectSameTable(latin1, utf8);
    expect(latin1.raw[0].columns[1].levels).toContain('Tørgersen');
    const error = await inputError(load(latin1Path));
    expect(error.message).toBe(`${latin1Path} is not valid UTF-8 text`);
    expect(error.option).toBe('encoding');
    expect(cli(error).hint).toMatch(/--encoding latin1/);
  });

  it('reads byte 0x80 as € under latin1 (Windows-1252, as Excel writes it)', async () => {
    const { table } = await read(Buffer.from([0x61, 0x0a, 0x80, 0x0a]), { dialect: { encoding: 'latin1' } });
    expect(table.columns[0].levels).toEqual(['€']);
  });

  it('drops a UTF-8 byte order mark and records it', async () => {
    const withBom = await load(
      file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(penguinsAs(','))])),
    );
    expect(withBom.files[0].dialect?.bom).toBe(true);
    expectSameTable(withBom);
  });
});

describe('workbooks', () => {
  /** A ZIP local file header naming `entry`, then `data` stored as is: what a workbook's first bytes look like. */
  const zip = (entry: string, data = '') => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(entry.length, 26);
    return Buffer.concat([header, Buffer.from(entry), Buffer.from(data), Buffer.alloc(600)]);
  };
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);

  it.each([
    [
      'an .xlsx by its signature, whatever its name',
      'book.csv',
      zip('[Content_Types].xml', '<Types/>'),
      'an Excel workbook (.xlsx)',
    ],
    [
      'an .xlsx whose first entry says nothing, by its name',
      'book.xlsx',
      zip('docProps/app.xml'),
      'an Excel workbook (.xlsx)',
    ],
    [
      'an .ods',
      'sheet.csv',
      zip('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'),
      'an OpenDocument spreadsheet (.ods)',
    ],
    ['an .xls', 'old.csv', ole, 'an Excel 97-2003 workbook (.xls)'],
  ])('names %s and asks for CSV or Parquet (exit 3)', async (_, name, bytes, format) => {
    const path = file(name, bytes);
    const error = await inputError(load(path));
    expect(error.message).toBe(`${path} is ${format}, not a CSV text file`);
    expect(error.hint).toMatch(/export it as CSV, or give Parquet/);
  });
});
