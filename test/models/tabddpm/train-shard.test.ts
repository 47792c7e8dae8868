import { describe, expect, it } from '@jest/globals';
import { tf, useBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import '../../../src/models/nn/gradients.js';
import { initialWeights } from '../../../src/models/tabddpm/denoiser.js';
import { createSharedBuffers } from '../../../src/models/tabddpm/shard-sync.js';
import { trainShard, type ShardProgress } from '../../../src/models/tabddpm/train-shard.js';
import { TABDDPM_FIXED_DEFAULTS } from '../../../src/models/tabddpm/space.js';

describe('trainShard', () => {
  it('frees every tensor it makes: numTensors stays flat across epochs', async () => {
    await useBackend('wasm');
    const rng = createRng(3);
    const rows = 64;
    const data = {
      rows,
      numeric: Float32Array.from({ length: rows * 2 }, () => rng.next()),
      classes: Int32Array.from({ length: rows }, () => rng.int(3)),
    };
    const params = { ...TABDDPM_FIXED_DEFAULTS, width: 32, n_iter: 6, batch_size: 16 };
    const weights = initialWeights({ inputWidth: 5, layers: params.layers, width: 32 }, rng);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const result = trainShard(
      { shard: 0, shards: 1, data, dNum: 2, spanSizes: [3], params, seed: 1, initialWeights: weights, buffers: createSharedBuffers(1, weights.length), reportEvery: 4, checkEvery: 0 },
      (_p: ShardProgress) => counts.push(tf.memory().numTensors),
    );
    expect(result.stepsDone).toBe(24);
    expect(result.epochLoss).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
