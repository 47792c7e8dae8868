/**
 * Worker for dp-neighbours.test.ts, in plain JS on the build (npm run build first): numeric code
 * runs an order of magnitude slower inside Jest's module sandbox. For one method and shard count
 * it builds the model's DP job on each table it is given (the fits' own recoding, planning on the
 * released count, encoding and initial weights), sets the test's key and the noise to 0, and for
 * each of `steps` steps takes the engine's Poisson batch, slices it over the shards as the engine
 * does, and sums the private group's clipped gradients of all shards at the initial weights. The
 * tasks get a seeded stream that throws when read: a private step must take no draw from it.
 * workerData: { method, shards, steps, key, released, clipNorm, statistics, tables }
 * Posts: per table { plan: { sampleRate, steps, rows, noiseMultiplier }, initial: {group: weights}, sizes, sums }.
 */
import { parentPort, workerData } from 'node:worker_threads';

const dist = (path) => new URL(`../../dist/src/${path}`, import.meta.url).href;
const { recodeToStatistics } = await import(dist('core/column-statistics.js'));
const { planPrivateTraining } = await import(dist('models/nn/train/private-plan.js'));
const { PrivateTraining } = await import(dist('models/nn/train/private-training.js'));
const { sliceBound, stepOrder } = await import(dist('models/nn/train/shard.js'));
const { fusedNets } = await import(dist('models/nn/create-net.js'));

const { method, shards, steps, key, released, clipNorm, statistics, tables } = workerData;
const options = { seed: 5, statistics };

/** The method's small parameters, the job builder of its fit, its task and its private group. */
async function methodParts(name) {
  if (name === 'ddpm') {
    const { tabDdpmTraining } = await import(dist('models/tabddpm/model.js'));
    const { TABDDPM_FIXED_DEFAULTS } = await import(dist('models/tabddpm/space.js'));
    const { createTask, DENOISER } = await import(dist('models/tabddpm/train-task.js'));
    const params = { ...TABDDPM_FIXED_DEFAULTS, n_iter: 2, batch_size: 20, num_timesteps: 30, width: 24, dropout: 0.2 };
    return { params, build: tabDdpmTraining, createTask, group: DENOISER };
  }
  if (name === 'tvae') {
    const { tvaeTraining } = await import(dist('models/tvae/model.js'));
    const { TVAE_FIXED_DEFAULTS } = await import(dist('models/tvae/space.js'));
    const { createTask, VAE } = await import(dist('models/tvae/train-task.js'));
    const params = { ...TVAE_FIXED_DEFAULTS, n_iter: 2, batch_size: 20, embedding_dim: 8 };
    return { params, build: tvaeTraining, createTask, group: VAE };
  }
  const { ctganTraining } = await import(dist('models/ctgan/model.js'));
  const { createTask } = await import(dist('models/ctgan/train-task.js'));
  const { DISCRIMINATOR } = await import(dist('models/ctgan/steps.js'));
  const params = { n_iter: 2, batch_size: 20, lr: 2e-4, embedding_dim: 8, pac: 10 };
  return { params, build: ctganTraining, createTask, group: DISCRIMINATOR };
}

const untouchable = {
  next() {
    throw new Error('a private step read the seeded stream');
  },
  int() {
    throw new Error('a private step read the seeded stream');
  },
};

const parts = await methodParts(method);
const results = tables.map((table) => {
  const rows = recodeToStatistics(table, statistics);
  const privacy = { epsilon: 4, delta: 1e-4, maxGradNorm: clipNorm, rows: released };
  const planned = planPrivateTraining(
    { privacy, backend: 'fused', statistics },
    { batchSize: parts.params.batch_size, epochs: parts.params.n_iter },
    rows,
  );
  const { job } = parts.build(parts.params, rows, options, { ...planned, key, noiseMultiplier: 0 });
  const training = new PrivateTraining(job.privacy, job, stepOrder(job));
  const clip = training.clipNorm(job.groups.findIndex((g) => g.name === parts.group));
  const initial = Object.fromEntries(job.groups.map((g) => [g.name, g.initial]));
  const width = initial[parts.group].length;
  const tasks = Array.from({ length: shards }, (_, shard) =>
    parts.createTask(job.payload, {
      shard,
      shards,
      rng: untouchable,
      initial,
      nets: fusedNets,
      privateDraws: training.draws,
    }),
  );
  const sizes = [];
  const sums = [];
  for (let step = 0; step < steps; step++) {
    const batch = training.batch(step);
    const sum = new Float64Array(width);
    for (let shard = 0; shard < shards; shard++) {
      const lo = sliceBound(batch.length, shard, shards, job.rowMultiple ?? 1);
      const hi = sliceBound(batch.length, shard + 1, shards, job.rowMultiple ?? 1);
      if (hi === lo && !job.askEmptySlices) continue;
      const out = new Float32Array(width);
      tasks[shard].gradient(
        parts.group,
        { rows: batch.subarray(lo, hi), batchSize: batch.length, epoch: 0, step, clipNorm: clip },
        out,
      );
      for (let i = 0; i < width; i++) sum[i] += out[i];
    }
    sizes.push(batch.length);
    sums.push(sum);
  }
  tasks.forEach((t) => t.dispose());
  const { sampleRate, steps: plannedSteps, rows: planRows, noiseMultiplier } = planned;
  return { plan: { sampleRate, steps: plannedSteps, rows: planRows, noiseMultiplier }, initial, sizes, sums };
});
parentPort.postMessage(results);
