/**
 * The DP benchmark's inputs: a seeded 80/20 split of a dataset written as train.csv and
 * holdout.csv (every method trains on the same rows and is judged on the same holdout), and the
 * public bounds file the protocol declares: the row count, each numeric column's min and max
 * (and whether it holds whole numbers) and each categorical column's levels, with whether it has
 * gaps, all read from the training rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadInputs } from '../src/core/io/load-inputs.js';
import { createRng, permutation } from '../src/core/rng.js';
import { isCategorical } from '../src/core/table.js';
import { datasetPath, readLines, writeLines } from './datasets.js';

export interface PublicSplit {
  readonly train: string;
  readonly holdout: string;
  readonly bounds: string;
  readonly trainRows: number;
}

export async function publicSplit(dataset: string, dir: string, seed = 0): Promise<PublicSplit> {
  const { header, rows } = await readLines(datasetPath(`${dataset}.csv`));
  const order = permutation(rows.length, createRng(seed));
  const cut = Math.round(rows.length * 0.8);
  const train = join(dir, `${dataset}-train.csv`);
  const holdout = join(dir, `${dataset}-holdout.csv`);
  await writeLines(
    train,
    header,
    Array.from(order.subarray(0, cut), (i) => rows[i]),
  );
  await writeLines(
    holdout,
    header,
    Array.from(order.subarray(cut), (i) => rows[i]),
  );
  const { tables } = await loadInputs([train], {});
  const columns: Record<string, unknown> = {};
  for (const column of tables[0].columns) {
    if (isCategorical(column)) {
      const used = new Set(column.codes);
      columns[column.name] = {
        categories: column.levels.filter((_, code) => used.has(code)),
        missing: used.has(-1),
      };
      continue;
    }
    const present = column.values.filter((v) => !Number.isNaN(v));
    columns[column.name] = {
      // Whole numbers are declared so (a step of 1), as a reviewed metadata file would.
      ...(column.kind === 'numeric' && present.every(Number.isInteger) ? { kind: 'integer' } : {}),
      min: present.reduce((a, b) => Math.min(a, b)),
      max: present.reduce((a, b) => Math.max(a, b)),
      missing: present.length < column.values.length,
    };
  }
  const bounds = join(dir, `${dataset}-public-bounds.json`);
  // The protocol declares the schema public, the training row count included, as MST's baseline assumes.
  writeFileSync(bounds, `${JSON.stringify({ rows: cut, columns }, null, 2)}\n`);
  return { train, holdout, bounds, trainRows: cut };
}
