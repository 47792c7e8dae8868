import { describe, expect, it } from '@jest/globals';
import { tf, useBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import '../../../src/models/nn/gradients.js';
import { initialWeights } from '../../../src/models/tabddpm/denoiser.js';
import { answerCheckpoint, createSharedBuffers } from '../../../src/models/tabddpm/shard-sync.js';
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
      {
        shard: 0,
        shards: 1,
        data,
        dNum: 2,
        spanSizes: [3],
        params,
        seed: 1,
        initialWeights: weights,
        buffers: createSharedBuffers(1, weights.length),
        reportEvery: 4,
        checkEvery: 0,
      },
      (_p: ShardProgress) => counts.push(tf.memory().numTensors),
    );
    expect(result.stepsDone).toBe(24);
    expect(result.epochLoss).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pauses at each checkpoint with the weight average and stops where the verdict says', async () => {
    await useBackend('wasm');
    const rng = createRng(5);
    const rows = 32;
    const data = {
      rows,
      numeric: Float32Array.from({ length: rows }, () => rng.next()),
      classes: Int32Array.from({ length: rows }, () => rng.int(2)),
    };
    const params = { ...TABDDPM_FIXED_DEFAULTS, width: 16, n_iter: 10, batch_size: 16 };
    const weights = initialWeights({ inputWidth: 3, layers: params.layers, width: 16 }, rng);
    const buffers = createSharedBuffers(1, weights.length);
    // The sink answers before the shard waits: go on at the first checkpoint (epoch 3), stop at the second (epoch 6).
    const seen: number[] = [];
    const result = trainShard(
      {
        shard: 0,
        shards: 1,
        data,
        dNum: 1,
        spanSizes: [2],
        params,
        seed: 2,
        initialWeights: weights,
        buffers,
        reportEvery: 100,
        checkEvery: 3,
      },
      () => {},
      (epoch, average) => {
        seen.push(epoch);
        expect(average).toHaveLength(weights.length);
        answerCheckpoint(buffers, seen.length, epoch === 6);
      },
    );
    expect(seen).toEqual([3, 6]);
    expect(result).toMatchObject({ epochsDone: 6, stepsDone: 12, earlyStopped: true, stopped: false });
  });
});
