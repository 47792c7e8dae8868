/**
 * Builds fixtures/penguins/{train,holdout,baseline-synthetic}.csv from the CC0 Palmer penguins
 * table: a seeded 80/20 split, and a deliberately naive "synthetic" table that resamples every
 * column independently from train (marginals kept, associations lost), so the shipped sample
 * shows what a failing check looks like. Run: npm run fixtures:sample
 */
import { readCsvFile } from '../src/core/io/read-table.js';
import { writeFileAtomic } from '../src/core/io/atomic-write.js';
import { tableToCsv } from '../src/core/io/write-csv.js';
import { createRng, permutation, type Rng } from '../src/core/rng.js';
import { inferSchema } from '../src/core/schema/infer.js';
import { TableEncoder } from '../src/core/schema/encode.js';
import { takeRows, type Table } from '../src/core/table.js';

const dir = new URL('../../fixtures/penguins/', import.meta.url).pathname;
const SEED = 20261122;

function independentColumns(table: Table, rows: number, rng: Rng): Table {
  const columns = table.columns.map(
    (column) =>
      takeRows(
        { rowCount: table.rowCount, columns: [column] },
        Int32Array.from({ length: rows }, () => rng.int(table.rowCount)),
      ).columns[0],
  );
  return { rowCount: rows, columns };
}

const { table: raw } = await readCsvFile(`${dir}penguins.csv`);
const table = new TableEncoder(inferSchema(raw)).encode(raw);
const rng = createRng(SEED);
const order = permutation(table.rowCount, rng);
const cut = Math.round(table.rowCount * 0.8);
const train = takeRows(table, order.subarray(0, cut));
const holdout = takeRows(table, order.subarray(cut));
await writeFileAtomic(`${dir}train.csv`, tableToCsv(train));
await writeFileAtomic(`${dir}holdout.csv`, tableToCsv(holdout));
await writeFileAtomic(`${dir}baseline-synthetic.csv`, tableToCsv(independentColumns(train, train.rowCount, rng)));
process.stdout.write(
  `train ${train.rowCount}, holdout ${holdout.rowCount}, baseline-synthetic ${train.rowCount} rows in ${dir}\n`,
);
