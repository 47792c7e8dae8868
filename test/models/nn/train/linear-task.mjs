/**
 * A second task for the training engine, in plain JS so worker threads can load it without a
 * build: least squares y ~ x . slope + intercept, with the slope and the intercept in two
 * parameter groups stepped alternately (as a GAN steps its discriminator and generator).
 * Payload: { x: Float64Array [rows * dims], y: Float64Array, dims, stepMillis, failAt: { shard, step } | null,
 * nanAt?: steps whose loss and gradient are NaN, nanGradAt?: steps whose intercept gradient alone is NaN,
 * blowAt?: steps whose loss and gradient are 1e4 times too big }.
 */
const pause = new Int32Array(new SharedArrayBuffer(4));

export function createTask(payload, context) {
  const { x, y, dims } = payload;
  const slope = Float64Array.from(context.initial.slope);
  let intercept = context.initial.intercept[0];
  const residual = (row) => {
    let fit = intercept;
    for (let d = 0; d < dims; d++) fit += x[row * dims + d] * slope[d];
    return fit - y[row];
  };
  return {
    gradient(group, slice, out) {
      if (payload.failAt && payload.failAt.shard === context.shard && payload.failAt.step === slice.step)
        throw new Error(`linear task failed on purpose at step ${slice.step}`);
      if (payload.stepMillis) Atomics.wait(pause, 0, 0, payload.stepMillis);
      // The slice's share of the batch's mean squared error, and its gradient.
      let loss = 0;
      out.fill(0);
      for (const row of slice.rows) {
        const r = residual(row);
        loss += (r * r) / slice.batchSize;
        if (group === 'slope') for (let d = 0; d < dims; d++) out[d] += (2 * r * x[row * dims + d]) / slice.batchSize;
        else out[0] += (2 * r) / slice.batchSize;
      }
      if (payload.nanAt?.includes(slice.step)) {
        out.fill(NaN);
        return NaN;
      }
      if (group === 'intercept' && payload.nanGradAt?.includes(slice.step)) out.fill(NaN);
      if (payload.blowAt?.includes(slice.step)) {
        for (let i = 0; i < out.length; i++) out[i] *= 1e4;
        return loss * 1e4 + 1e4;
      }
      return loss;
    },
    setWeights(group, weights) {
      if (group === 'slope') slope.set(weights);
      else intercept = weights[0];
    },
    dispose() {},
  };
}
