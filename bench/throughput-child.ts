/**
 * Trains the default TabDDPM for a few epochs on one backend, then samples `SAMPLE_ROWS` rows,
 * and prints its throughput and the model's shapes (for the PyTorch reference) as JSON:
 * steps/s over the whole run, and after the first epoch (WebAssembly starts in a baseline
 * compiler and tiers up while it runs; the PyTorch reference likewise drops warm-up steps).
 * usage: throughput-child FILE BACKEND THREADS EPOCHS SAMPLE_ROWS
 */
import { useBackend } from '../src/core/backend.js';
import type { BackendName } from '../src/core/backend-names.js';
import { REGISTRY } from '../src/models/registry.js';
import { fitLayout, spanSizes } from '../src/models/transformers/layout.js';
import { defaultTraining } from './default-training.js';

const [file, backend, threads, epochs, sampleRows] = process.argv.slice(2);
const active = await useBackend(backend as BackendName);
const { train, params } = await defaultTraining(file, 'ddpm', Number(epochs));
const model = await REGISTRY.get('ddpm').create(params);
const stepsPerEpoch = Math.ceil(train.rowCount / Math.min(params.batch_size, train.rowCount));
let warm: { step: number; seconds: number } | undefined;
let last: { step: number; seconds: number } | undefined;
const fit = await model.fit(train, {
  seed: 0,
  threads: Number(threads),
  backend: active.name,
  onProgress: ({ step, seconds }) => {
    if (!warm && step >= stepsPerEpoch) warm = { step, seconds };
    last = { step, seconds };
  },
});
const started = performance.now();
const rows = Number(sampleRows);
if (rows > 0) await model.sample(rows, { seed: 0 });
const sampleSeconds = (performance.now() - started) / 1000;
const layout = fitLayout(train);
process.stdout.write(
  `${JSON.stringify({
    steps: fit.stepsDone,
    seconds: Number(fit.seconds.toFixed(2)),
    steps_per_s: Number(fit.stepsPerSecond.toFixed(1)),
    warm_steps_per_s:
      warm && last && last.step > warm.step
        ? Number(((last.step - warm.step) / (last.seconds - warm.seconds)).toFixed(1))
        : null,
    rows_per_s: Math.round(fit.samplesPerSecond),
    sample_s: rows > 0 ? Number(sampleSeconds.toFixed(2)) : null,
    shape: {
      d_num: layout.numeric.length,
      spans: spanSizes(layout),
      batch: params.batch_size,
      width: params.width,
      layers: params.layers,
      timesteps: params.num_timesteps,
    },
  })}\n`,
);
model.dispose();
