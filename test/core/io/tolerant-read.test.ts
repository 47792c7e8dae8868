/**
 * Under DP (SPEC section 8) no value of the private input may refuse it: a refusal that names a line
 * or a byte tells that some row holds it. The tolerant reader reads every malformed record as well
 * as it can; the strict one still refuses each of them with its position.
 */
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { readCsv } from '../../../src/core/io/read-table.js';
import { rawValues } from '../../helpers/csv.js';

const HEADER = 'a,b,c\n';
const MALFORMED: Record<string, Buffer> = {
  'a row with an extra field': Buffer.from(`${HEADER}1,x,2\n3,y,4,5\n6,z,7\n`),
  'a row with a missing field': Buffer.from(`${HEADER}1,x,2\n3,y\n6,z,7\n`),
  'a quote never closed': Buffer.from(`${HEADER}1,x,2\n3,"y,4\n`),
  'text after a closing quote': Buffer.from(`${HEADER}1,x,2\n3,"y"z,4\n`),
  'a NUL byte': Buffer.concat([Buffer.from(`${HEADER}1,x,2\n3,`), Buffer.from([0]), Buffer.from(',4\n')]),
  'bytes that are not UTF-8': Buffer.concat([
    Buffer.from(`${HEADER}1,x,2\n3,`),
    Buffer.from([0xff, 0xfe, 0x41]),
    Buffer.from(',4\n'),
  ]),
};

const read = (bytes: Buffer, headerOnly: boolean) =>
  readCsv({ name: 'in.csv', stream: Readable.from([bytes]) }, { headerOnly });

describe('readCsv under DP (tolerant)', () => {
  for (const [what, bytes] of Object.entries(MALFORMED)) {
    it(`reads ${what} without a refusal, and the strict reader refuses it`, async () => {
      const { table } = await read(bytes, true);
      expect(table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
      expect(rawValues(table.columns[0]).slice(0, 2)).toEqual(['1', '3']);
      await expect(read(bytes, false)).rejects.toMatchObject({ exitCode: 3 });
    });
  }

  it('pads a short row with missing values and cuts a long one', async () => {
    const { table } = await read(MALFORMED['a row with a missing field'], true);
    expect(rawValues(table.columns[2])).toEqual(['2', '', '7']);
    const long = await read(MALFORMED['a row with an extra field'], true);
    expect(rawValues(long.table.columns[2])).toEqual(['2', '4', '7']);
  });
});
