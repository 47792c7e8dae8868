import { describe, expect, it } from '@jest/globals';
import { createCipheriv } from 'node:crypto';
import type { Table } from '../../src/core/table.js';
import { GesalpError } from '../../src/core/errors.js';
import { calibrateDpSgd, MAX_NOISE_MULTIPLIER } from '../../src/privacy/dp-sgd/calibrate.js';
import { clipFactors } from '../../src/privacy/dp-sgd/clip.js';
import { addGaussianNoise } from '../../src/privacy/dp-sgd/gaussian.js';
import { freshKey, KeyStream, STREAM } from '../../src/privacy/dp-sgd/keystream.js';
import { poissonBatch } from '../../src/privacy/dp-sgd/poisson.js';
import { rowIdentities } from '../../src/privacy/dp-sgd/row-identity.js';
import { RowPrf } from '../../src/privacy/dp-sgd/row-prf.js';
import { epsilonSpent } from '../../src/privacy/rdp-accountant.js';
import { checkNormal, looksNormal } from '../helpers/normal-check.js';
import { chiSquareSurvival, goodnessOfFit } from '../helpers/statistics.js';

const key = (byte: number) => new Uint8Array(32).fill(byte);

describe('the DP-SGD keystream', () => {
  it('repeats for the same key and name, differs across keys, purposes, steps and parts', () => {
    const a = new KeyStream(key(1));
    const first = a.uniforms53(STREAM.noise, 3, 0, 64);
    expect(new KeyStream(key(1)).uniforms53(STREAM.noise, 3, 0, 64)).toEqual(first);
    for (const other of [
      new KeyStream(key(2)).uniforms53(STREAM.noise, 3, 0, 64),
      a.uniforms53(STREAM.sampling, 3, 0, 64),
      a.uniforms53(STREAM.noise, 4, 0, 64),
      a.uniforms53(STREAM.noise, 3, 1, 64),
    ])
      expect(other.filter((v, i) => v === first[i]).length).toBe(0);
    // A longer draw starts with the shorter one: a stream is a fixed sequence, however much is read.
    expect(a.uniforms53(STREAM.noise, 3, 0, 200).subarray(0, 64)).toEqual(first);
    expect(new KeyStream(freshKey()).uniforms53(1, 0, 0, 4)).not.toEqual(
      new KeyStream(freshKey()).uniforms53(1, 0, 0, 4),
    );
  });

  it('gives integers below 2^53 whose top and bottom bits are fair coins', () => {
    const u = new KeyStream(key(7)).uniforms53(STREAM.noise, 0, 0, 40000);
    let top = 0;
    let bottom = 0;
    expect(u.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 53)).toBe(true);
    for (const v of u) {
      if (v >= 2 ** 52) top++;
      if (v % 2 === 1) bottom++;
    }
    // Binomial(40000, 1/2): standard deviation 100.
    expect(Math.abs(top - 20000)).toBeLessThan(500);
    expect(Math.abs(bottom - 20000)).toBeLessThan(500);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new KeyStream(new Uint8Array(16))).toThrow('32 bytes');
  });
});

/** Distinct arbitrary identities for n rows (what row-identity.ts would give distinct rows). */
const someIds = (n: number, salt = 0) =>
  Uint32Array.from({ length: 3 * n }, (_, i) => Math.imul(i + 1 + salt * 7919, 2654435761) >>> 0);

describe('Poisson sampling', () => {
  const n = 1000;
  const q = 0.05;
  const steps = 4000;

  it('draws batch sizes with the mean and variance of Binomial(n, q) and every row at rate q', () => {
    const prf = new RowPrf(key(3), someIds(n));
    const sizes = new Float64Array(steps);
    const perRow = new Float64Array(n);
    let ascending = true;
    for (let t = 0; t < steps; t++) {
      const batch = poissonBatch(prf, t, q);
      sizes[t] = batch.length;
      for (let i = 1; i < batch.length; i++) ascending &&= batch[i] > batch[i - 1];
      for (const r of batch) perRow[r]++;
    }
    expect(ascending).toBe(true);
    const mean = sizes.reduce((a, x) => a + x, 0) / steps;
    const variance = sizes.reduce((a, x) => a + (x - mean) ** 2, 0) / (steps - 1);
    const binomialVariance = n * q * (1 - q);
    // Standard errors: of the mean sqrt(var / T); of the sample variance sqrt((mu4 - var^2 (T-3)/(T-1)) / T),
    // with the binomial's fourth central moment mu4 = var (1 + 3 (n - 2) p q).
    const mu4 = binomialVariance * (1 + 3 * (n - 2) * q * (1 - q));
    expect(Math.abs(mean - n * q)).toBeLessThan(5 * Math.sqrt(binomialVariance / steps));
    expect(Math.abs(variance - binomialVariance)).toBeLessThan(5 * Math.sqrt((mu4 - binomialVariance ** 2) / steps));
    // Each row's count is Binomial(T, q), independently: their standardised squares sum to chi-square(n).
    const expected = steps * q;
    const statistic = perRow.reduce((a, c) => a + (c - expected) ** 2 / (expected * (1 - q)), 0);
    expect(chiSquareSurvival(statistic, n)).toBeGreaterThan(1e-4);
  });

  it("draws a row's coins independently from step to step: (in at t, in at t + 1) has the product law", () => {
    const prf = new RowPrf(key(13), someIds(400));
    const q2 = 0.3;
    // Over rows and steps, the four outcomes of consecutive coins against q^2, q(1-q), (1-q)q, (1-q)^2.
    const cells = [0, 0, 0, 0];
    let previous = new Set(poissonBatch(prf, 0, q2));
    for (let t = 1; t < 300; t++) {
      const current = new Set(poissonBatch(prf, t, q2));
      for (let r = 0; r < 400; r++) cells[(previous.has(r) ? 2 : 0) + (current.has(r) ? 1 : 0)]++;
      previous = current;
    }
    const p = [(1 - q2) ** 2, (1 - q2) * q2, q2 * (1 - q2), q2 * q2];
    expect(goodnessOfFit(cells, p)).toBeGreaterThan(1e-4);
  });

  it('takes every row at rate 1, the same rows for the same key and step, and none of it from the row order', () => {
    expect(poissonBatch(new RowPrf(key(4), someIds(50)), 0, 1)).toEqual(Int32Array.from({ length: 50 }, (_, i) => i));
    const prf = new RowPrf(key(4), someIds(n));
    expect(poissonBatch(new RowPrf(key(4), someIds(n)), 9, q)).toEqual(poissonBatch(prf, 9, q));
    expect(() => poissonBatch(prf, 0, 0)).toThrow('sample rate');
    // The same rows in reverse order with one more at the front: each old row's coin stays its own.
    const ids = someIds(n);
    const reversed = new Uint32Array(3 * (n + 1));
    reversed.set(someIds(1, 99), 0);
    for (let r = 0; r < n; r++) reversed.set(ids.subarray(3 * r, 3 * r + 3), 3 * (n - r));
    for (const step of [0, 1, 17]) {
      const before = Array.from(poissonBatch(prf, step, q));
      const after = Array.from(poissonBatch(new RowPrf(key(4), reversed), step, q));
      const old = after.filter((r) => r > 0).map((r) => n - r);
      expect(old.sort((a, b) => a - b)).toEqual(before);
    }
  });
});

describe('the per-row keyed draws', () => {
  /** The PRF as its comment states it, written with node's AES alone: AES_{K(p, s)}(id0 | id1 | id2 | j), big-endian. */
  function reference(k: Uint8Array, purpose: number, step: number, id: number[], j: number): number[] {
    const aes = (keyBytes: Uint8Array, block: number[]) => {
      const cipher = createCipheriv('aes-256-ecb', keyBytes, null);
      cipher.setAutoPadding(false);
      const input = Buffer.alloc(16 * (block.length / 4));
      block.forEach((w, i) => input.writeUInt32BE(w >>> 0, 4 * i));
      return cipher.update(input);
    };
    const subkey = aes(k, [purpose, step, 0xffffffff, 0, purpose, step, 0xffffffff, 1]);
    const out = aes(subkey, [...id, j]);
    // Each 64-bit half, little-endian words (as the code reads them), its top 11 bits dropped.
    const w = [0, 4, 8, 12].map((at) => out.readUInt32LE(at));
    return [(w[0] >>> 11) * 2 ** 32 + w[1], (w[2] >>> 11) * 2 ** 32 + w[3]];
  }

  it('are AES-256 of (identity, counter) under the subkey of (purpose, step), as documented', () => {
    const ids = someIds(5);
    const prf = new RowPrf(key(21), ids);
    const got = prf.uniforms53(STREAM.example, 12, [3, 1], 5);
    const row = (r: number) => Array.from(ids.subarray(3 * r, 3 * r + 3));
    const expected = [3, 1].flatMap((r) => [
      ...reference(key(21), STREAM.example, 12, row(r), 0),
      ...reference(key(21), STREAM.example, 12, row(r), 1),
      reference(key(21), STREAM.example, 12, row(r), 2)[0],
    ]);
    expect(Array.from(got)).toEqual(expected);
    const coins = prf.firstOfEveryRow(STREAM.sampling, 4);
    expect(Array.from(coins)).toEqual([0, 1, 2, 3, 4].map((r) => reference(key(21), STREAM.sampling, 4, row(r), 0)[0]));
  });

  it('give a row the same draws whichever rows are asked with it, and other draws for another purpose, step or key', () => {
    const prf = new RowPrf(key(8), someIds(30));
    const alone = prf.uniforms53(STREAM.example, 2, [17], 7);
    const among = prf.uniforms53(STREAM.example, 2, [4, 17, 29, 17], 7);
    expect(among.subarray(7, 14)).toEqual(alone);
    expect(among.subarray(21, 28)).toEqual(alone);
    for (const other of [
      prf.uniforms53(STREAM.encoding, 2, [17], 7),
      prf.uniforms53(STREAM.example, 3, [17], 7),
      new RowPrf(key(9), someIds(30)).uniforms53(STREAM.example, 2, [17], 7),
      prf.uniforms53(STREAM.example, 2, [16], 7),
    ])
      expect(other.filter((v, i) => v === alone[i]).length).toBe(0);
    // A row's Rng reads its reserved draws in order and refuses one more.
    const rng = prf.rowRngs(STREAM.example, 2, [17], 7)(0);
    for (let i = 0; i < 7; i++) expect(rng.next()).toBe(alone[i] / 2 ** 53);
    expect(() => rng.next()).toThrow('reserved');
  });

  it("are uniform, and independent between steps and between a row's draws (chi-square on a 10 x 10 grid)", () => {
    const prf = new RowPrf(key(10), someIds(2000));
    const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
    const a = prf.uniforms53(STREAM.example, 0, rows, 2);
    const b = prf.uniforms53(STREAM.example, 1, rows, 2);
    const grid = (x: (i: number) => number, y: (i: number) => number) => {
      const cells = new Array<number>(100).fill(0);
      for (let i = 0; i < 2000; i++)
        cells[Math.floor((x(i) / 2 ** 53) * 10) * 10 + Math.floor((y(i) / 2 ** 53) * 10)]++;
      return cells;
    };
    const flat = new Array<number>(100).fill(0.01);
    // Same row, steps 0 and 1; same row and step, draws 0 and 1.
    expect(
      goodnessOfFit(
        grid(
          (i) => a[2 * i],
          (i) => b[2 * i],
        ),
        flat,
      ),
    ).toBeGreaterThan(1e-4);
    expect(
      goodnessOfFit(
        grid(
          (i) => a[2 * i],
          (i) => a[2 * i + 1],
        ),
        flat,
      ),
    ).toBeGreaterThan(1e-4);
    // The check tells a dependent pair apart: a draw against itself shifted by a little.
    expect(
      goodnessOfFit(
        grid(
          (i) => a[2 * i],
          (i) => (a[2 * i] + 2 ** 49) % 2 ** 53,
        ),
        flat,
      ),
    ).toBeLessThan(1e-6);
  });
});

describe('row identities', () => {
  const table = (xs: number[], groups: (string | null)[], levels = ['a', 'b']): Table => ({
    rowCount: xs.length,
    columns: [
      { name: 'x', kind: 'numeric', values: Float64Array.from(xs) },
      {
        name: 'g',
        kind: 'categorical',
        codes: Int32Array.from(groups, (g) => (g === null ? -1 : levels.indexOf(g))),
        levels,
      },
    ],
  });
  const idOf = (ids: Uint32Array, r: number) => Array.from(ids.subarray(3 * r, 3 * r + 3)).join(',');

  it('follow a row by its content and its copies by their order, whatever is added around them', () => {
    const base = rowIdentities(table([1, 2, 1, NaN], ['a', 'b', 'a', null]));
    const names = [0, 1, 2, 3].map((r) => idOf(base, r));
    // The copy of row 0 is another identity; every row differs.
    expect(new Set(names).size).toBe(4);
    // A copy of row 0 first: it takes row 0's identity, and row 0 and its copy move one along.
    const more = rowIdentities(table([1, 1, 2, 1, NaN], ['a', 'a', 'b', 'a', null]));
    const after = [0, 1, 2, 3, 4].map((r) => idOf(more, r));
    expect(after.slice(0, 4).sort()).toEqual([...names.slice(0, 3), idOf(more, 3)].sort());
    expect(after).toEqual(expect.arrayContaining(names));
    // Levels are read as text, not codes; one NaN and one zero.
    const relabelled = rowIdentities(table([1, 2, 1, NaN], ['a', 'b', 'a', null], ['b', 'a']));
    expect(Array.from(relabelled)).toEqual(Array.from(base));
    const zeros = rowIdentities(table([0, -0, 0 / 0, -(0 / 0)], ['a', 'a', 'a', 'a']));
    expect(idOf(zeros, 1)).not.toBe(idOf(zeros, 0));
    expect(idOf(rowIdentities(table([-0], ['a'])), 0)).toBe(idOf(zeros, 0));
    expect(idOf(rowIdentities(table([-(0 / 0)], ['a'])), 0)).toBe(idOf(zeros, 2));
  });
});

describe('the Gaussian noise', () => {
  const draw = (std: number, count: number, byte = 5) => {
    const out = new Float32Array(count);
    addGaussianNoise(new KeyStream(key(byte)), 0, 0, out, std);
    return out;
  };

  it('added to a zero vector has standard deviation std and a normal shape (KS)', () => {
    const check = checkNormal(draw(2.5, 200001), 2.5);
    expect(looksNormal(check)).toBe(true);
    // An odd length uses the last pair's first normal only.
    expect(draw(1, 3).every((v) => v !== 0)).toBe(true);
  });

  it('is told apart by the same check when its spread is 2 % off or its shape is not normal', () => {
    expect(looksNormal(checkNormal(draw(2.55, 200000), 2.5))).toBe(false);
    expect(looksNormal(checkNormal(draw(2.45, 200000), 2.5))).toBe(false);
    // Laplace noise of the same variance (scale std / sqrt 2), from an independent generator.
    const u = new KeyStream(key(6)).uniforms53(STREAM.noise, 0, 0, 200000);
    const laplace = Array.from(u, (v) => {
      const p = (v + 0.5) / 2 ** 53 - 0.5;
      return (-2.5 / Math.SQRT2) * Math.sign(p) * Math.log(1 - 2 * Math.abs(p));
    });
    const check = checkNormal(laplace, 2.5);
    expect(Math.abs(check.stdZ)).toBeLessThan(5);
    expect(check.ksP).toBeLessThan(1e-3);
  });

  it('adds to what is there, the same for the same key, and nothing at std 0', () => {
    const base = Float32Array.from({ length: 1000 }, (_, i) => i);
    const noisy = base.slice();
    addGaussianNoise(new KeyStream(key(5)), 0, 0, noisy, 1);
    const noise = draw(1, 1000);
    noisy.forEach((v, i) => expect(v - base[i]).toBeCloseTo(noise[i], 3));
    const zero = new Float32Array(10);
    addGaussianNoise(new KeyStream(key(5)), 0, 0, zero, 0);
    expect(zero.every((v) => v === 0)).toBe(true);
  });
});

describe('clipping factors', () => {
  it('keep gradients within C whole and scale longer ones to norm C', () => {
    // Squared norms of gradients with norms 0, 0.5, 1.5 (= C), 3 and 30.
    const factors = clipFactors([0, 0.25, 2.25, 9, 900], 1.5);
    expect(Array.from(factors)).toEqual([1, 1, 1, Math.fround(0.5), Math.fround(0.05)]);
    expect(() => clipFactors([1], 0)).toThrow('positive');
    expect(() => clipFactors([NaN], 1)).toThrow('not a number');
  });
});

describe('DP-SGD calibration', () => {
  it('plans q = batch / rows, epochs * ceil(rows / batch) steps and the smallest sigma meeting epsilon', () => {
    const cases = [
      { epsilon: 1, delta: 1e-5, rows: 32561, batchSize: 4096, epochs: 30 },
      { epsilon: 5, delta: 1e-6, rows: 1000, batchSize: 64, epochs: 100 },
      { epsilon: 0.5, delta: 1e-4, rows: 500, batchSize: 500, epochs: 3 },
      { epsilon: 8, delta: 1e-5, rows: 60000, batchSize: 256, epochs: 10 },
    ];
    for (const target of cases) {
      const plan = calibrateDpSgd(target);
      expect(plan.sampleRate).toBe(target.batchSize / target.rows);
      expect(plan.stepsPerEpoch).toBe(Math.ceil(target.rows / target.batchSize));
      expect(plan.steps).toBe(target.epochs * plan.stepsPerEpoch);
      const spent = epsilonSpent(plan.sampleRate, plan.noiseMultiplier, plan.steps, target.delta).epsilon;
      expect(spent).toBeLessThanOrEqual(target.epsilon);
      expect(plan.epsilon).toBe(spent);
      const less = epsilonSpent(plan.sampleRate, plan.noiseMultiplier * (1 - 1e-3), plan.steps, target.delta).epsilon;
      expect(less).toBeGreaterThan(target.epsilon);
    }
  });

  it('caps the batch at the rows (q = 1)', () => {
    const plan = calibrateDpSgd({ epsilon: 10, delta: 1e-3, rows: 40, batchSize: 64, epochs: 2 });
    expect(plan).toMatchObject({ sampleRate: 1, stepsPerEpoch: 1, steps: 2 });
  });

  it('refuses a target that needs a noise multiplier beyond the cap, with the figures', () => {
    const target = { epsilon: 0.05, delta: 1e-5, rows: 1000, batchSize: 500, epochs: 200 };
    expect(epsilonSpent(0.5, MAX_NOISE_MULTIPLIER, 400, 1e-5).epsilon).toBeGreaterThan(0.05);
    let error: unknown;
    try {
      calibrateDpSgd(target);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GesalpError);
    expect(error).toMatchObject({ kind: 'usage', exitCode: 2 });
    expect((error as GesalpError).message).toMatch(
      /epsilon 0\.05 .*400 steps at sample rate 0\.500 .*500 of 1000 rows/,
    );
    expect((error as GesalpError).hint).toMatch(/Raise epsilon/);
  });

  it('refuses an epsilon or delta outside their ranges', () => {
    const base = { epsilon: 1, delta: 1e-5, rows: 100, batchSize: 10, epochs: 1 };
    for (const bad of [{ epsilon: 0 }, { epsilon: -1 }, { epsilon: Infinity }, { delta: 0 }, { delta: 1 }])
      expect(() => calibrateDpSgd({ ...base, ...bad })).toThrow(GesalpError);
  });
});
