import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';

/**
 * TabDDPM training repeats bit for bit: a tiny seeded fit gives the epoch losses and averaged
 * weights recorded in the golden file, for one and two threads, on the fused engine and on
 * TensorFlow.js's wasm backend. GOLDEN_UPDATE=1 rewrites the file.
 */
// Worker threads run compiled JavaScript, so this test drives the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../../fixtures/tabddpm/train-golden.json', import.meta.url));

const CASES: { name: string; threads: number; params: Record<string, number>; stopAt: number }[] = [
  { name: 'one thread', threads: 1, params: {}, stopAt: 0 },
  { name: 'two threads', threads: 2, params: {}, stopAt: 0 },
  { name: 'two threads, dropout, stopped by a checkpoint', threads: 2, params: { dropout: 0.1 }, stopAt: 4 },
];

interface Outcome {
  epoch_loss: number[];
  steps_done: number;
  early_stopped: boolean;
  checkpoints: number[];
  weights_sha256: string;
}

function smallTable(rows: number): Table {
  const rng = createRng(11);
  const levels = ['a', 'b', 'c'];
  const codes = Int32Array.from({ length: rows }, () => rng.int(levels.length));
  const x = Float64Array.from({ length: rows }, (_, i) => codes[i] * 2 + rng.next());
  const y = Float64Array.from({ length: rows }, (_, i) => Math.round(10 * x[i] + 5 * rng.next()));
  return {
    rowCount: rows,
    columns: [
      { name: 'x', kind: 'numeric', values: x },
      { name: 'y', kind: 'numeric', values: y },
      { name: 'group', kind: 'categorical', codes, levels },
    ],
  };
}

const BACKENDS = ['fused', 'wasm'] as const;

async function fitOnce(
  backend: (typeof BACKENDS)[number],
  threads: number,
  params: Record<string, number>,
  stopAt: number,
): Promise<Outcome> {
  const { useBackend } = await import(dist('core/backend.js'));
  const { TabDdpm } = await import(dist('models/tabddpm/model.js'));
  await useBackend(backend);
  const model = new TabDdpm({
    n_iter: 6,
    batch_size: 16,
    lr: 0.002,
    weight_decay: 1e-4,
    num_timesteps: 20,
    layers: 2,
    width: 32,
    dropout: 0,
    ema: 0.9,
    ...params,
  });
  const checkpoints: number[] = [];
  const fit = await model.fit(smallTable(45), {
    seed: 7,
    threads,
    backend,
    checkpoints: stopAt
      ? {
          everyEpochs: 2,
          decide: async (epoch: number) => {
            checkpoints.push(epoch);
            return epoch >= stopAt;
          },
        }
      : undefined,
  });
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-golden-'));
  try {
    // The second argument (the split) is ignored by versions of save that no longer take it.
    await model.save(dir);
    const weights = readFileSync(join(dir, 'weights.bin'));
    model.dispose();
    return {
      epoch_loss: fit.epochLoss,
      steps_done: fit.stepsDone,
      early_stopped: fit.earlyStopped,
      checkpoints,
      weights_sha256: createHash('sha256').update(weights).digest('hex'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('TabDDPM training against the golden record', () => {
  it('gives the recorded epoch losses and weights for each thread count', async () => {
    const outcomes: Record<string, Outcome> = {};
    for (const backend of BACKENDS)
      for (const c of CASES) outcomes[`${backend}: ${c.name}`] = await fitOnce(backend, c.threads, c.params, c.stopAt);
    if (process.env.GOLDEN_UPDATE === '1') writeFileSync(GOLDEN, `${JSON.stringify(outcomes, null, 2)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Outcome>;
    expect(outcomes).toEqual(golden);
    // The record itself is a real training run: the loss falls, and the checkpoint case stopped where told.
    for (const backend of BACKENDS) {
      const one = golden[`${backend}: one thread`];
      expect(one.epoch_loss).toHaveLength(6);
      expect(one.epoch_loss[5]).toBeLessThan(one.epoch_loss[0]);
      expect(golden[`${backend}: two threads, dropout, stopped by a checkpoint`]).toMatchObject({
        epoch_loss: expect.any(Array),
        early_stopped: true,
        checkpoints: [2, 4],
      });
    }
  });
});
