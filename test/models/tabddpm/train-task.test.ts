import { describe, expect, it } from '@jest/globals';
import { tf } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { initialWeights } from '../../../src/models/tabddpm/denoiser.js';
import { answerCheckpoint, createSharedBuffers, ShardSync } from '../../../src/models/nn/train/shared-memory.js';
import { runShard } from '../../../src/models/nn/train/shard.js';
import { netMaker } from '../../../src/models/nn/create-net.js';
import { createTask, DENOISER, tabDdpmJob } from '../../../src/models/tabddpm/train-task.js';
import { TABDDPM_FIXED_DEFAULTS } from '../../../src/models/tabddpm/space.js';

/** TabDDPM's task run in this thread as one shard of the training engine. */
function oneShardJob(rows: number, dNum: number, classes: number, params: object, seed: number, checkEvery: number) {
  const rng = createRng(seed);
  const data = {
    rows,
    numeric: Float32Array.from({ length: rows * dNum }, () => rng.next()),
    classes: Int32Array.from({ length: rows }, () => rng.int(classes)),
  };
  const full = { ...TABDDPM_FIXED_DEFAULTS, n_iter: 6, batch_size: 16, ...params };
  const weights = initialWeights({ inputWidth: dNum + classes, layers: full.layers, width: full.width }, rng);
  const job = tabDdpmJob(
    { data, dNum, spanSizes: [classes], params: full },
    { seed, initialWeights: weights, reportEvery: 4, checkEvery },
  );
  const buffers = createSharedBuffers(1, weights.length);
  return {
    job: { ...job, backend: 'wasm' as const, shard: 0, shards: 1 },
    buffers,
    exchange: new ShardSync(buffers, 0, 1),
  };
}

describe('the TabDDPM training task', () => {
  it('frees every tensor it makes: numTensors stays flat across epochs', async () => {
    const nets = await netMaker('wasm');
    const { job, exchange } = oneShardJob(64, 2, 3, { width: 32 }, 3, 0);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const result = runShard(job, createTask, nets, exchange, {
      onProgress: () => counts.push(tf.memory().numTensors),
      onCheckpoint: () => {},
    });
    expect(result.stepsDone).toBe(24);
    expect(result.epochLoss[DENOISER]).toHaveLength(6);
    expect(counts).toHaveLength(6);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pauses at each checkpoint with the weight average and stops where the verdict says', async () => {
    const nets = await netMaker('wasm');
    const { job, buffers, exchange } = oneShardJob(32, 1, 2, { width: 16, n_iter: 10 }, 2, 3);
    // The sink answers before the shard waits: go on at the first checkpoint (epoch 3), stop at the second (epoch 6).
    const seen: number[] = [];
    const result = runShard(job, createTask, nets, exchange, {
      onProgress: () => {},
      onCheckpoint: (epoch, weights) => {
        seen.push(epoch);
        expect(weights[DENOISER]).toHaveLength(job.groups[0].initial.length);
        answerCheckpoint(buffers, seen.length, epoch === 6);
      },
    });
    expect(seen).toEqual([3, 6]);
    expect(result).toMatchObject({ epochsDone: 6, stepsDone: 12, earlyStopped: true, stopped: false });
  });
});
