/**
 * One MST baseline run as a child process, so that its time and peak memory are measured like
 * generate's: reads the training rows and the public bounds, fits AIM's pipeline with MST's
 * selection at (epsilon, delta), samples as many rows, writes them as CSV and the privacy
 * account as JSON on stdout. Usage: mst-child TRAIN BOUNDS EPSILON DELTA OUT SEED
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadInputs } from '../src/core/io/load-inputs.js';
import { tableToCsv } from '../src/core/io/write-csv.js';
import { Aim } from '../src/models/aim/model.js';
import { AIM_FIXED_DEFAULTS } from '../src/models/aim/space.js';
import { parseMetadata } from '../src/core/schema/metadata.js';
import { planPreprocessing, releaseColumns } from '../src/privacy/preprocessing/preprocess.js';
import { mstRounds } from './mst.js';

/** The reference MST's estimation runs 10,000 mirror-descent iterations. */
const MST_ITERATIONS = 10000;

const [train, boundsFile, epsilon, delta, out, seed] = process.argv.slice(2);
const started = performance.now();
const { tables } = await loadInputs([train], {});
const table = tables[0];
// Every column is declared public in the bounds file: the plan releases nothing and spends nothing.
const metadata = parseMetadata(readFileSync(boundsFile, 'utf8'), boundsFile);
const plan = planPreprocessing(
  table.columns.map((c) => c.name),
  metadata.columns,
  true,
  false,
);
const { statistics } = await releaseColumns(table, plan, { epsilon: 0, delta: 0 });
const model = new Aim({ ...AIM_FIXED_DEFAULTS, final_iterations: MST_ITERATIONS }, undefined, { rounds: mstRounds });
const training = await model.fit(table, {
  seed: Number(seed),
  threads: 1,
  backend: 'cpu',
  privacy: { epsilon: Number(epsilon), delta: Number(delta), maxGradNorm: 1, rows: table.rowCount },
  statistics,
});
const { table: synthetic } = await model.sample(table.rowCount, { seed: Number(seed) });
writeFileSync(out, tableToCsv(synthetic));
process.stdout.write(
  `${JSON.stringify({ seconds: (performance.now() - started) / 1000, train_s: training.seconds, privacy: training.privacy })}\n`,
);
process.stderr.write(
  `\nBENCH ${JSON.stringify({ code: 0, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
