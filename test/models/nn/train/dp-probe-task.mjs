/**
 * A task for the engine's DP-SGD tests, in plain JS so worker threads load it without a build
 * step of their own (it imports the clipping helper from dist, which the tests drive). One group
 * 'w' of `dims` weights; row r's own loss is 1/2 ||a_r + coupling * w||^2, so its gradient is
 * a_r + coupling * w: with coupling 0 the per-example gradients are the fixed vectors a_r.
 * It records, in shared memory, each step's batch size (shard 0), the rows every shard was given
 * (summed over shards), and shard 0's weights after each step.
 * Payload: { dims, vectors: Float64Array [rows * dims], coupling, sizes: Int32Array, seen: Int32Array, trail: Float32Array }
 * (the three records over SharedArrayBuffers, `trail` [steps * dims]).
 */
import { clipFactors } from '../../../../dist/src/privacy/dp-sgd/clip.js';

export function createTask(payload, context) {
  const { dims, vectors, coupling, sizes, seen, trail } = payload;
  const weights = Float64Array.from(context.initial.w);
  let updates = 0;
  return {
    gradient(_group, slice, out) {
      if (context.shard === 0) sizes[slice.step] = slice.batchSize;
      Atomics.add(seen, slice.step, slice.rows.length);
      const rows = slice.rows.length;
      const grads = new Float64Array(rows * dims);
      const norms = new Float64Array(rows);
      let loss = 0;
      slice.rows.forEach((row, i) => {
        for (let d = 0; d < dims; d++) {
          const g = vectors[row * dims + d] + coupling * weights[d];
          grads[i * dims + d] = g;
          norms[i] += g * g;
        }
        loss += norms[i] / 2 / slice.batchSize;
      });
      // Clipped sum under DP, else the slice's share of the batch mean.
      const scale = slice.clipNorm
        ? clipFactors(norms, slice.clipNorm)
        : new Float64Array(rows).fill(1 / slice.batchSize);
      out.fill(0);
      for (let i = 0; i < rows; i++) for (let d = 0; d < dims; d++) out[d] += scale[i] * grads[i * dims + d];
      return loss;
    },
    setWeights(_group, w) {
      weights.set(w);
      if (context.shard === 0) trail.set(w, updates * dims);
      updates++;
    },
    dispose() {},
  };
}
