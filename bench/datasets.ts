/** Bench inputs made from ../shared/datasets: seeded splits, resamples and shuffles written to a temp folder. */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRng, permutation } from '../src/core/rng.js';

export const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));

export function datasetPath(name: string): string {
  const path = `${DATASETS}${name}`;
  if (!existsSync(path))
    throw new Error(`${path} not found: the benchmarks need ../shared/datasets beside the project`);
  return path;
}

export async function readLines(path: string): Promise<{ header: string; rows: string[] }> {
  const rows: string[] = [];
  let header = '';
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (!header) header = line;
    else if (line) rows.push(line);
  }
  return { header, rows };
}

export async function writeLines(path: string, header: string, rows: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (const row of rows) if (!out.write(`${row}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** A seeded 80/20 split of the data rows, and a bootstrap resample of the 80 % (stand-in synthetic rows). */
export async function splitAndResample(
  source: string,
  dir: string,
  seed: number,
): Promise<{ train: string; holdout: string; synthetic: string }> {
  const { header, rows } = await readLines(source);
  const rng = createRng(seed);
  const order = permutation(rows.length, rng);
  const cut = Math.round(rows.length * 0.8);
  const train = Array.from(order.subarray(0, cut), (i) => rows[i]);
  const holdout = Array.from(order.subarray(cut), (i) => rows[i]);
  const synthetic = Array.from({ length: train.length }, () => train[rng.int(train.length)]);
  const paths = { train: `${dir}/train.csv`, holdout: `${dir}/holdout.csv`, synthetic: `${dir}/synthetic.csv` };
  await writeLines(paths.train, header, train);
  await writeLines(paths.holdout, header, holdout);
  await writeLines(paths.synthetic, header, synthetic);
  return paths;
}

/** The same rows in a seeded random order. */
export async function shuffled(source: string, target: string, seed: number): Promise<string> {
  const { header, rows } = await readLines(source);
  const order = permutation(rows.length, createRng(seed));
  await writeLines(
    target,
    header,
    (function* () {
      for (const i of order) yield rows[i];
    })(),
  );
  return target;
}
