import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../../src/core/rng.js';
import type { Table } from '../../../src/core/table.js';
import { initialNetWeights } from '../../../src/models/nn/init.js';
import { FusedNet } from '../../../src/models/nn/fused/fused-net.js';
import { fusedNets } from '../../../src/models/nn/create-net.js';
import type { Seeds } from '../../../src/models/nn/net.js';
import { PENALTY_WEIGHT } from '../../../src/models/ctgan/losses.js';
import { discreteSpans, type SpanLayout } from '../../../src/models/ctgan/spans.js';
import { CtganSteps, discriminatorOf, generatorOf, type CtganShape } from '../../../src/models/ctgan/steps.js';
import { epsilonSpent } from '../../../src/privacy/rdp-accountant.js';
import { smallDpFitOptions, smallDpTable } from '../../helpers/dp-table.js';

/**
 * CTGAN under DP-SGD: the discriminator's clipped per-example sums against an independent
 * reference (per row, finite differences of that row's own loss through ordinary batch passes
 * with the same dropout masks), and a short private fit end to end.
 */
// Worker threads run compiled JavaScript, so the fit below drives the build (npm run build first).
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));

/** A numeric column (scalar + 2 modes) and a discrete one of 3 categories: data width 6, condition width 3. */
const layout: SpanLayout = {
  spans: [
    { size: 1, activation: 'tanh' },
    { size: 2, activation: 'softmax' },
    { size: 3, activation: 'softmax' },
  ],
  discreteSpans: [2],
};
const tiny: CtganShape = { layout, embedding: 4, generatorDims: [5], discriminatorDims: [6], pac: 1 };

function encodedRows(count: number): Float32Array {
  const rng = createRng(21);
  const data = new Float32Array(count * 6);
  for (let r = 0; r < count; r++) {
    data[r * 6] = rng.next() * 1.6 - 0.8;
    data[r * 6 + 1 + rng.int(2)] = 1;
    data[r * 6 + 3 + rng.int(3)] = 1;
  }
  return data;
}

/** Captures the critic's batches of one step: wraps the steps' discriminator so each pass is recorded. */
function recordPasses(steps: CtganSteps) {
  const net = (steps as unknown as { discriminator: FusedNet }).discriminator;
  const passes: { kind: 'gradient' | 'penalty'; x: Float32Array; seed: Seeds }[] = [];
  const gradient = net.gradient.bind(net);
  const penalty = net.gradientPenalty.bind(net);
  net.gradient = (inputs, seed, lossOf, into, options) => {
    passes.push({ kind: 'gradient', x: inputs.x.slice() as Float32Array, seed });
    return gradient(inputs, seed, lossOf, into, options);
  };
  net.gradientPenalty = (inputs, seed, into, options) => {
    passes.push({ kind: 'penalty', x: inputs.x.slice() as Float32Array, seed });
    return penalty(inputs, seed, into, options);
  };
  return passes;
}

describe('CTGAN discriminator under DP-SGD', () => {
  it("sums each real row's clipped gradient of its real and penalty terms, and each fake row's clipped and weighted", () => {
    const rng = createRng(5);
    const generator = initialNetWeights(generatorOf(tiny), rng);
    const discriminator = initialNetWeights(discriminatorOf(tiny), rng);
    const data = encodedRows(20);
    const counts = discreteSpans(layout).map((d) => new Array<number>(d.size).fill(1));
    const steps = new CtganSteps(tiny, { data, conditionCounts: counts }, fusedNets, { generator, discriminator });
    const passes = recordPasses(steps);
    const real = Int32Array.of(2, 5, 6, 11, 17, 19);
    const run = (clipNorm: number) => {
      passes.length = 0;
      const out = new Float32Array(discriminator.length);
      const rowRngs = Array.from(real, (_, i) => createRng(100 + i));
      const draws = { fake: createRng(9), real: (i: number) => rowRngs[i] };
      const step = { fakeRows: 4, fakeSlots: [0, 4] as const, fakeWeight: 1.5, clipNorm };
      steps.privateDiscriminatorGradient(real, step, 8, draws, out);
      return out;
    };
    run(1e9);
    const [fakePass, realPass, penaltyPass] = passes;
    expect(passes.map((p) => p.kind)).toEqual(['gradient', 'gradient', 'penalty']);
    // Each real row holds its own data, and a condition that is its own category.
    real.forEach((row, r) => {
      const x = realPass.x.subarray(r * 9, (r + 1) * 9);
      expect([...x.subarray(0, 6)]).toEqual([...data.subarray(row * 6, (row + 1) * 6)]);
      expect([...x.subarray(6)]).toEqual([...data.subarray(row * 6 + 3, row * 6 + 6)]);
    });

    // Reference: ordinary batch passes of a second network (same seeds, so the same dropout masks),
    // row r's loss -D(x_r) + lambda (||grad_x D(x^_r)|| - 1)^2 and fake row f's D(fake_f), differenced in each weight.
    const reference = new FusedNet(discriminatorOf(tiny), discriminator);
    const rowLosses = (w: Float32Array): { rows: Float64Array; fake: Float64Array } => {
      reference.setWeights(w);
      let fake = new Float64Array(0);
      reference.gradient(
        { x: fakePass.x },
        fakePass.seed,
        (s) => {
          fake = Float64Array.from(s);
          return { loss: 0, gradient: new Float32Array(s.length) };
        },
        new Float32Array(w.length),
      );
      const rows = new Float64Array(real.length);
      reference.gradient(
        { x: realPass.x },
        realPass.seed,
        (s) => {
          s.forEach((v, r) => (rows[r] -= v));
          return { loss: 0, gradient: new Float32Array(s.length) };
        },
        new Float32Array(w.length),
      );
      reference.gradient(
        { x: penaltyPass.x },
        penaltyPass.seed,
        (s) => ({ loss: 0, gradient: new Float32Array(s.length).fill(1) }),
        new Float32Array(w.length),
      );
      const g = reference.inputGradient('x');
      for (let r = 0; r < real.length; r++) {
        let squares = 0;
        for (let j = 0; j < 9; j++) squares += g[r * 9 + j] ** 2;
        rows[r] += PENALTY_WEIGHT * (Math.sqrt(squares) - 1) ** 2;
      }
      return { rows, fake };
    };
    // Central differences at h and h/2: across a LeakyReLU kink they disagree (the loss has no slope there), and
    // the weight is left out; the penalty's curvature alone moves them by O(h^2).
    const h = 2e-3;
    const perRow = real.length;
    const rowGradients = Array.from({ length: perRow }, () => new Float64Array(discriminator.length));
    const fakeGradients = Array.from({ length: 4 }, () => new Float64Array(discriminator.length));
    const kinked = new Set<number>();
    const slopes = (i: number, step: number) => {
      const up = discriminator.slice();
      const down = discriminator.slice();
      up[i] += step;
      down[i] -= step;
      const [above, below] = [rowLosses(up), rowLosses(down)];
      return {
        rows: above.rows.map((v, r) => (v - below.rows[r]) / (2 * step)),
        fake: above.fake.map((v, f) => (v - below.fake[f]) / (2 * step)),
      };
    };
    for (let i = 0; i < discriminator.length; i++) {
      const [wide, narrow] = [slopes(i, h), slopes(i, h / 2)];
      for (let r = 0; r < perRow; r++) {
        if (Math.abs(wide.rows[r] - narrow.rows[r]) > 1e-2 * Math.max(1, Math.abs(narrow.rows[r]))) kinked.add(i);
        rowGradients[r][i] = narrow.rows[r];
      }
      narrow.fake.forEach((v, f) => (fakeGradients[f][i] = v));
    }
    expect(kinked.size).toBeLessThan(0.1 * discriminator.length);
    const normOf = (g: Float64Array) => Math.sqrt(g.reduce((a, v) => a + v * v, 0));
    const norms = rowGradients.map(normOf);
    const fakeNorms = fakeGradients.map(normOf);
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const unclipped = run(1e9);
    // Two bounds: one between the real rows' norms (the penalty makes them large), one between the fake rows'.
    for (const clip of [sorted(norms)[2], 1.1 * sorted(fakeNorms)[2]]) {
      const clipped = run(clip);
      let worst = 0;
      let size = 0;
      for (let i = 0; i < discriminator.length; i++) {
        if (kinked.has(i)) continue;
        const fake = fakeGradients.reduce((a, g, f) => a + 1.5 * g[i] * Math.min(1, clip / fakeNorms[f]), 0);
        const expected = fake + rowGradients.reduce((a, g, r) => a + g[i] * Math.min(1, clip / norms[r]), 0);
        worst = Math.max(worst, Math.abs(clipped[i] - expected));
        size = Math.max(size, Math.abs(expected));
      }
      expect(worst).toBeLessThan(5e-3 * Math.max(1, size));
      // The bound binds: the clipped sum differs from the unclipped one.
      expect(clipped.some((v, i) => Math.abs(v - unclipped[i]) > 1e-3)).toBe(true);
    }
    // The second bound clips some fake rows and leaves others whole.
    const fakeBound = 1.1 * sorted(fakeNorms)[2];
    expect(fakeNorms.filter((n) => n > fakeBound)).toHaveLength(1);
  });
});

describe('CTGAN with a privacy target', () => {
  // pac 10 in the parameters: under DP the critic judges single rows all the same.
  const params = { n_iter: 3, batch_size: 20, lr: 2e-4, embedding_dim: 8, pac: 10 };
  const privacy = { epsilon: 3, delta: 1e-4, maxGradNorm: 1, rows: 100 };

  it('spends at most the target, states what the accountant says, and fits its layout from the statistics alone', async () => {
    const { Ctgan } = await import(dist('models/ctgan/model.js'));
    const fitOn = async (table: Table) => {
      const model = new Ctgan(params);
      const fit = await model.fit(table, smallDpFitOptions(privacy));
      return { model, fit };
    };
    const { model, fit } = await fitOn(smallDpTable(100));
    const p = fit.privacy!;
    expect(p.spentEpsilon).toBeLessThanOrEqual(3);
    expect(p).toMatchObject({ targetEpsilon: 3, delta: 1e-4, maxGradNorm: 1, sampleRate: 0.2, steps: 3 * 5 });
    expect(p.spentEpsilon).toBe(epsilonSpent(p.sampleRate, p.noiseMultiplier, p.steps, p.delta).epsilon);
    expect(fit.stepsDone).toBe(15);
    const { table } = (await model.sample(60, { seed: 1 })) as { table: Table };
    const group = table.columns[1];
    expect(group.kind === 'categorical' && group.levels).toEqual(['a', 'b', '(other)']);
    const x = table.columns[0];
    if (x.kind !== 'categorical') for (const v of x.values) expect(Number.isNaN(v) || (v >= 10 && v <= 15)).toBe(true);
    // The one-row level is not in the model, whatever it is called in the data.
    const other = await fitOn(smallDpTable(100, 'zz-rare'));
    const otherGroup = ((await other.model.sample(60, { seed: 1 })) as { table: Table }).table.columns[1];
    expect(otherGroup.kind === 'categorical' && otherGroup.levels).toEqual(['a', 'b', '(other)']);
    model.dispose();
    other.model.dispose();
  }, 180000);
});
