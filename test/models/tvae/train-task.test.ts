import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '../../../src/core/rng.js';
import {
  takeRows,
  type CategoricalColumn,
  type Column,
  type NumericColumn,
  type Table,
} from '../../../src/core/table.js';
import { keyedDraws } from '../../../src/models/nn/train/private-training.js';
import { createSharedBuffers, ShardSync } from '../../../src/models/nn/train/shared-memory.js';
import { STREAM } from '../../../src/privacy/dp-sgd/keystream.js';
import { runShard } from '../../../src/models/nn/train/shard.js';
import { fusedNets } from '../../../src/models/nn/create-net.js';
import { columnTemplate } from '../../../src/models/column-template.js';
import { decodeModeRows, encodeModeRows } from '../../../src/models/transformers/mode-codec.js';
import { fitModeLayout } from '../../../src/models/transformers/mode-layout.js';
import { lossSpans } from '../../../src/models/tvae/loss.js';
import { Tvae, decoderOf } from '../../../src/models/tvae/model.js';
import { groupLayout, initialGroupWeights, type TvaeShape } from '../../../src/models/tvae/networks.js';
import { TVAE_FIXED_DEFAULTS, type TvaeParams } from '../../../src/models/tvae/space.js';
import { VAE, createTask, tvaeJob, type TvaePayload } from '../../../src/models/tvae/train-task.js';

/** The penguins fixture as a table: empty cells are missing. */
function penguins(): Table {
  const [header, ...lines] = readFileSync('fixtures/penguins/penguins.csv', 'utf8').trim().split('\n');
  const cells = lines.map((line) => line.split(','));
  const columns = header.split(',').map((name, c): Column => {
    const raw = cells.map((row) => row[c]);
    if (c >= 2 && c <= 5)
      return { name, kind: 'numeric', values: Float64Array.from(raw, (v) => (v === '' ? NaN : +v)) };
    const levels = [...new Set(raw.filter((v) => v !== ''))];
    return { name, kind: 'categorical', codes: Int32Array.from(raw, (v) => levels.indexOf(v)), levels };
  });
  return { rowCount: lines.length, columns };
}

function payloadFor(table: Table, params: TvaeParams, seed: number) {
  const rng = createRng(seed);
  const layout = fitModeLayout(table, rng);
  const spans = lossSpans(layout);
  const shape: TvaeShape = { dataWidth: layout.width, embedding: params.embedding_dim, sigmas: spans.scalars.length };
  const payload: TvaePayload = { data: encodeModeRows(layout, table, rng), shape, spans, params };
  return { layout, payload, initial: initialGroupWeights(shape, rng) };
}

const PARAMS: TvaeParams = { ...TVAE_FIXED_DEFAULTS, n_iter: 200, batch_size: 100 };

describe('the TVAE training task', () => {
  it('gives the gradient of its loss through decoder, reparameterisation, encoder and sigmas (central differences)', () => {
    const small = takeRows(
      penguins(),
      Int32Array.from({ length: 24 }, (_, i) => i),
    );
    const params = { ...PARAMS, embedding_dim: 8 };
    const { payload, initial } = payloadFor(small, params, 1);
    const slice = { rows: Int32Array.from({ length: 16 }, (_, i) => i + 4), batchSize: 20, epoch: 0, step: 0 };
    // The same shard stream each time: the same eps, so the loss is a function of the weights alone.
    const lossAt = (weights: Float32Array, into = new Float32Array(weights.length)) => {
      const task = createTask(payload, {
        shard: 0,
        shards: 1,
        rng: createRng(77),
        initial: { [VAE]: weights },
        nets: fusedNets,
      });
      try {
        return task.gradient(VAE, slice, into);
      } finally {
        task.dispose();
      }
    };
    const gradient = new Float32Array(initial.length);
    lossAt(initial, gradient);
    const layout = groupLayout(payload.shape);
    const picks = [
      ...[0, 1, 5, 40, 300].map((i) => layout.encoder[0] + i),
      layout.encoder[1] - 1, // the last bias of [mu | logvar]: logvar's, reached through eps and the KL term
      layout.encoder[1] - 2 * params.embedding_dim, // mu's first bias
      ...[0, 3, 200, 201, 205, 330, 17000].map((i) => layout.decoder[0] + i),
      layout.decoder[1] - 1,
      ...Array.from({ length: payload.shape.sigmas }, (_, s) => layout.sigmas[0] + s),
    ];
    // A small step: 1e-2 crosses ReLU kinks and the sigmas' 1/sigma^2 curvature; the loss is summed in double.
    const h = 1e-3;
    for (const i of picks) {
      const up = initial.slice();
      const down = initial.slice();
      up[i] += h;
      down[i] -= h;
      const numeric = (lossAt(up) - lossAt(down)) / (2 * h);
      expect(Math.abs(gradient[i] - numeric)).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
    }
    // The sigmas' gradient is not zero: the scalars' error pulls them.
    expect(picks.slice(-payload.shape.sigmas).some((i) => Math.abs(gradient[i]) > 1e-3)).toBe(true);
  });

  it('learns the penguins: sampled marginals close to the data (KS <= 0.15, TVD <= 0.1), repeatable for a seed', async () => {
    const table = penguins();
    const { layout, payload, initial } = payloadFor(table, PARAMS, 3);
    const train = (epochs: number) => {
      const job = tvaeJob(
        { ...payload, params: { ...PARAMS, n_iter: epochs } },
        { seed: 3, initialWeights: initial, reportEvery: 1000, checkEvery: 0 },
      );
      const shardJob = {
        ...job,
        backend: 'fused' as const,
        shard: 0,
        shards: 1,
      };
      const exchange = new ShardSync(createSharedBuffers(1, initial.length), 0, 1);
      return runShard(shardJob, createTask, fusedNets, exchange, { onProgress: () => {}, onCheckpoint: () => {} });
    };
    const result = train(PARAMS.n_iter);
    expect(result.epochsDone).toBe(PARAMS.n_iter);
    const losses = result.epochLoss[VAE];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(train(3).weights[VAE]).toEqual(train(3).weights[VAE]);
    const sigmas = decoderOf(payload.shape, result.weights[VAE]).sigmas;
    for (const s of sigmas) expect(s >= Math.fround(0.01) && s <= 1).toBe(true);

    const model = new Tvae(PARAMS, {
      layout,
      columns: table.columns.map(columnTemplate),
      decoder: decoderOf(payload.shape, result.weights[VAE]),
      training: null,
    });
    const { table: synthetic } = await model.sample(2000, { seed: 5 });
    expect(synthetic.rowCount).toBe(2000);
    expect((await model.sample(50, { seed: 5 })).table).toEqual((await model.sample(50, { seed: 5 })).table);
    table.columns.forEach((column, c) => {
      const other = synthetic.columns[c];
      expect([other.name, other.kind]).toEqual([column.name, column.kind]);
      if (column.kind === 'categorical') {
        const tvd = totalVariation(column.codes, (other as CategoricalColumn).codes);
        expect(tvd).toBeLessThanOrEqual(0.1);
      } else {
        const ks = kolmogorovSmirnov(column.values, (other as NumericColumn).values);
        expect(ks).toBeLessThanOrEqual(0.15);
      }
    });
    // Decoding the training rows themselves is exact: the marginals above measure the model.
    expect(decodeModeRows(layout, payload.data, table).columns[6]).toEqual(table.columns[6]);
  });

  it('under DP-SGD sums the per-row gradients each clipped to C, as one ordinary pass per row gives them', () => {
    const small = takeRows(
      penguins(),
      Int32Array.from({ length: 12 }, (_, i) => i),
    );
    const params = { ...PARAMS, embedding_dim: 8 };
    const { payload, initial } = payloadFor(small, params, 2);
    const key = new Uint8Array(32).fill(6);
    const ids = Uint32Array.from({ length: 12 * 3 }, (_, i) => (i * 2654435761) >>> 0);
    const task = (rng: Rng) =>
      createTask(payload, {
        shard: 0,
        shards: 1,
        rng,
        initial: { [VAE]: initial },
        nets: fusedNets,
        privateDraws: keyedDraws(key, ids),
      });
    // Under DP each row's eps is its own keyed draw, whichever rows share the batch.
    const run = (rows: number[], clipNorm: number) => {
      const t = task(createRng(5));
      const out = new Float32Array(initial.length);
      try {
        t.gradient(VAE, { rows: Int32Array.from(rows), batchSize: 1, epoch: 0, step: 0, clipNorm }, out);
      } finally {
        t.dispose();
      }
      return out;
    };
    const rows = [0, 1, 2, 3, 4, 5];
    // Reference: one ordinary pass per row, its eps drawn from that row's keyed draws (the same Box-Muller pairs).
    const perRow = rows.map((r) => {
      const own = keyedDraws(key, ids).perRow(STREAM.example, 0, [r], params.embedding_dim)(0);
      const t = task(own);
      const out = new Float32Array(initial.length);
      try {
        t.gradient(VAE, { rows: Int32Array.of(r), batchSize: 1, epoch: 0, step: 0 }, out);
      } finally {
        t.dispose();
      }
      return out;
    });
    const norms = perRow.map((g) => Math.sqrt(g.reduce((a, v) => a + v * v, 0)));
    const clip = [...norms].sort((a, b) => a - b)[3];
    const expected = new Float64Array(initial.length);
    perRow.forEach((g, i) => g.forEach((v, k) => (expected[k] += v * Math.min(1, clip / norms[i]))));
    const clipped = run(rows, clip);
    const scale = Math.max(...expected.map(Math.abs));
    let worst = 0;
    for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(clipped[k] - expected[k]));
    expect(worst).toBeLessThan(1e-4 * scale);
    // Unclipped, the sum is the per-row gradients' plain sum, and another: the clip bound binds.
    const unclipped = run(rows, 1e9);
    const plain = new Float64Array(initial.length);
    perRow.forEach((g) => g.forEach((v, k) => (plain[k] += v)));
    expect(Math.max(...unclipped.map((v, k) => Math.abs(v - plain[k])))).toBeLessThan(1e-4 * scale);
    expect(Math.max(...unclipped.map((v, k) => Math.abs(v - clipped[k])))).toBeGreaterThan(1e-2 * scale);
  });
});

/** Two-sample KS statistic over the non-missing values. */
function kolmogorovSmirnov(a: Float64Array, b: Float64Array): number {
  const x = a.filter((v) => !Number.isNaN(v)).sort();
  const y = b.filter((v) => !Number.isNaN(v)).sort();
  let i = 0;
  let j = 0;
  let worst = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    worst = Math.max(worst, Math.abs(i / x.length - j / y.length));
  }
  return worst;
}

/** Total variation distance between the code frequencies (missing is a class). */
function totalVariation(a: Int32Array, b: Int32Array): number {
  const share = (codes: Int32Array) => {
    const counts = new Map<number, number>();
    for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1 / codes.length);
    return counts;
  };
  const p = share(a);
  const q = share(b);
  let total = 0;
  for (const key of new Set([...p.keys(), ...q.keys()])) total += Math.abs((p.get(key) ?? 0) - (q.get(key) ?? 0));
  return total / 2;
}
