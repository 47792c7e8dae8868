import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readTableFile } from '../../../src/core/io/read-table.js';
import { inferSchema } from '../../../src/core/schema/infer.js';
import { rawValues } from '../../helpers/csv.js';

const n = 30;
const x = Array.from({ length: n }, (_, i) => i * 1.5);
const label = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : ['a', 'b', 'c'][i % 3]));

describe('columnar inputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-columnar-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectSameTable = async (path: string) => {
    const csv = join(dir, 'same.csv');
    writeFileSync(csv, `x,label\n${x.map((v, i) => `${v},${label[i] ?? ''}`).join('\n')}\n`);
    const [fromFile, fromCsv] = [(await readTableFile(path)).table, (await readTableFile(csv)).table];
    expect(fromFile.columns.map((c) => c.name)).toEqual(['x', 'label']);
    expect(rawValues(fromFile.columns[0])).toEqual(rawValues(fromCsv.columns[0]));
    expect(rawValues(fromFile.columns[1])).toEqual(rawValues(fromCsv.columns[1]));
    expect(inferSchema(fromFile).columns.map((c) => c.kind)).toEqual(['numeric', 'categorical']);
  };

  it('reads Parquet into the same table as the equivalent CSV, nulls as missing', async () => {
    const path = join(dir, 't.parquet');
    writeFileSync(
      path,
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'x', data: x, type: 'DOUBLE' },
            { name: 'label', data: label, type: 'STRING' },
          ],
        }),
      ),
    );
    await expectSameTable(path);
  });

  it('reads Arrow IPC into the same table as the equivalent CSV', async () => {
    const path = join(dir, 't.arrow');
    writeFileSync(path, tableToIPC(tableFromArrays({ x: Float64Array.from(x), label }), 'file'));
    await expectSameTable(path);
  });

  it('rejects a file that is not Parquet with exit 3', async () => {
    const path = join(dir, 'bad.parquet');
    writeFileSync(path, 'x,y\n1,2\n');
    await expect(readTableFile(path)).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/not a readable Parquet file/),
    });
  });
});
