/** Trains the default TabDDPM for a few epochs on one backend and prints its throughput as JSON. */
import { useBackend } from '../src/core/backend.js';
import type { BackendName } from '../src/core/backend-names.js';
import { loadInputs } from '../src/core/io/load-inputs.js';
import { splitRows } from '../src/core/split.js';
import { takeRows } from '../src/core/table.js';
import { sizeDefaults } from '../src/optimizer/size-defaults.js';
import { createModel } from '../src/models/registry.js';

const [file, backend, threads, epochs] = process.argv.slice(2);
const active = await useBackend(backend as BackendName);
const { tables } = await loadInputs([file], {});
const train = takeRows(tables[0], splitRows(tables[0].rowCount, { seed: 0, fraction: 0.2 }).train);
const defaults = Object.fromEntries(
  Object.entries(sizeDefaults('ddpm', train.rowCount, train.columns.length)).map(([k, v]) => [k, v.value]),
);
const model = await createModel('ddpm', { ...defaults, n_iter: Number(epochs) });
const fit = await model.fit(train, { seed: 0, threads: Number(threads), backend: active.name });
process.stdout.write(
  `${JSON.stringify({ steps: fit.stepsDone, seconds: Number(fit.seconds.toFixed(2)), steps_per_s: Number(fit.stepsPerSecond.toFixed(1)), rows_per_s: Math.round(fit.samplesPerSecond) })}\n`,
);
model.dispose();
