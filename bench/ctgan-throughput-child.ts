/**
 * Trains the default CTGAN for a few epochs on adult's training rows and prints, as JSON, its
 * steps/s after the first epoch (WebAssembly tiers up while it runs) and the shapes the PyTorch
 * reference needs (the layout's spans, the discrete spans, batch, embedding, network widths, pac).
 * usage: ctgan-throughput-child FILE THREADS EPOCHS
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISCRIMINATOR_DIMS, GENERATOR_DIMS } from '../src/models/ctgan/networks.js';
import { stepsPerEpoch } from '../src/models/ctgan/train-task.js';
import { REGISTRY } from '../src/models/registry.js';
import type { ModeLayout } from '../src/models/transformers/mode-layout.js';
import { defaultTraining } from './default-training.js';

const [file, threads, epochs] = process.argv.slice(2);
const { train, params } = await defaultTraining(file, 'ctgan', Number(epochs));
const model = await REGISTRY.get('ctgan').create(params);
const perEpoch = stepsPerEpoch(train.rowCount, params.batch_size);
let warm: { step: number; seconds: number } | undefined;
let last: { step: number; seconds: number } | undefined;
const fit = await model.fit(train, {
  seed: 0,
  threads: Number(threads),
  backend: 'fused',
  onProgress: ({ step, seconds }) => {
    if (!warm && step >= perEpoch) warm = { step, seconds };
    last = { step, seconds };
  },
});
const dir = mkdtempSync(join(tmpdir(), 'gesalp-ctgan-throughput-'));
let layout: ModeLayout;
try {
  await model.save(dir);
  layout = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { layout: ModeLayout }).layout;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({
    steps: fit.stepsDone,
    steps_per_s: Number(fit.stepsPerSecond.toFixed(2)),
    warm_steps_per_s:
      warm && last && last.step > warm.step
        ? Number(((last.step - warm.step) / (last.seconds - warm.seconds)).toFixed(2))
        : null,
    shape: {
      spans: layout.spans.map((s) => [s.size, s.activation]),
      discrete: layout.discreteSpans,
      batch: params.batch_size,
      embedding: params.embedding_dim,
      generator: [...GENERATOR_DIMS],
      discriminator: [...DISCRIMINATOR_DIMS],
      pac: params.pac,
    },
  })}\n`,
);
model.dispose();
