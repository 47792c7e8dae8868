/**
 * The engine's DP-SGD mode (SPEC section 6, as Opacus does it): each step's batch is a Poisson
 * sample of the training rows, a private group's summed per-example-clipped gradient gets
 * Gaussian noise of standard deviation sigma * C once, and is divided by the expected batch
 * size q * n, n the released count. Coins, noise and every per-example draw come from the run's
 * secret key, the coins and draws keyed by each row's identity (src/privacy/dp-sgd/row-prf.ts),
 * so every shard draws the same ones (one thread and many give the same mathematics), `--seed`
 * predicts none, and adding a row changes no other row's.
 */
import { epsilonSpent } from '../../../privacy/rdp-accountant.js';
import { addGaussianNoise } from '../../../privacy/dp-sgd/gaussian.js';
import { KeyStream } from '../../../privacy/dp-sgd/keystream.js';
import { poissonBatch } from '../../../privacy/dp-sgd/poisson.js';
import { RowPrf } from '../../../privacy/dp-sgd/row-prf.js';
import { expectedBatch } from './private-plan.js';
import type { DpSgdSettings, PrivateDraws, TrainJob } from './task.js';

/** The steps per epoch of a DP-SGD plan: ceil(n / batch) of the released n (calibrate.ts's rule). */
export const privateStepsPerEpoch = (settings: Pick<DpSgdSettings, 'rows'>, batchSize: number): number =>
  Math.ceil(settings.rows / Math.min(batchSize, settings.rows));

/** The keyed draws of a run (task.ts PrivateDraws): per row from `ids`, or streams of the key alone. */
export function keyedDraws(key: Uint8Array, ids: Uint32Array): PrivateDraws & { readonly rows: number } {
  const stream = new KeyStream(key);
  const prf = new RowPrf(key, ids);
  return {
    rows: prf.rows,
    perRow: (purpose, step, rows, perRow) => prf.rowRngs(purpose, step, rows, perRow),
    stream: (purpose, step, part) => stream.rng(purpose, step, part),
  };
}

export class PrivateTraining {
  private readonly stream: KeyStream;
  private readonly prf: RowPrf;
  private readonly privateGroups: boolean[];
  private readonly expectedBatch: number;
  /** Batches per epoch, from the released count. */
  readonly stepsPerEpoch: number;
  /** The draws a task takes under DP-SGD. */
  readonly draws: PrivateDraws;

  /** `schedule`: the group indices each batch steps (shard.ts stepOrder). */
  constructor(
    private readonly settings: DpSgdSettings,
    job: Pick<TrainJob<unknown>, 'groups' | 'rows' | 'batchSize' | 'epochs'>,
    schedule: readonly number[],
  ) {
    const { noiseMultiplier, maxGradNorm, sampleRate, steps, delta, groups, rows } = settings;
    if (!settings.key) throw new Error('a DP-SGD job reached a shard without its secret key');
    if (!(noiseMultiplier >= 0 && Number.isFinite(noiseMultiplier)))
      throw new Error(`a DP-SGD noise multiplier must be finite and >= 0, not ${noiseMultiplier}`);
    if (!(maxGradNorm > 0 && Number.isFinite(maxGradNorm)))
      throw new Error(`a DP-SGD clipping norm must be positive, not ${maxGradNorm}`);
    if (!(sampleRate > 0 && sampleRate <= 1))
      throw new Error(`a DP-SGD sample rate must lie in (0, 1], not ${sampleRate}`);
    if (!(delta > 0 && delta < 1)) throw new Error(`a DP-SGD delta must lie in (0, 1), not ${delta}`);
    if (!(Number.isInteger(rows) && rows >= 1)) throw new Error(`DP-SGD needs a released row count >= 1, not ${rows}`);
    // The accountant counts the planned steps; the engine must take exactly those batches.
    this.stepsPerEpoch = privateStepsPerEpoch(settings, job.batchSize);
    const planned = job.epochs * this.stepsPerEpoch;
    if (steps !== planned) throw new Error(`DP-SGD planned ${steps} steps, but the job takes ${planned} batches`);
    const names = job.groups.map((g) => g.name);
    const unknown = groups.filter((name) => !names.includes(name));
    if (unknown.length) throw new Error(`DP-SGD names unknown parameter groups: ${unknown.join(', ')}`);
    if (!groups.length) throw new Error('DP-SGD names no parameter group that touches the training rows');
    this.privateGroups = names.map((name) => groups.includes(name));
    // Each step of a private group is one release of the sampled Gaussian mechanism; the accountant counts one per batch.
    for (const index of new Set(schedule))
      if (this.privateGroups[index] && schedule.filter((i) => i === index).length > 1)
        throw new Error(`DP-SGD steps the private group ${names[index]} more than once per batch`);
    this.stream = new KeyStream(settings.key);
    this.prf = new RowPrf(settings.key, settings.rowIds);
    if (this.prf.rows !== job.rows)
      throw new Error(`DP-SGD has identities for ${this.prf.rows} rows, but the job trains on ${job.rows}`);
    this.expectedBatch = expectedBatch(settings);
    this.draws = keyedDraws(settings.key, settings.rowIds);
  }

  /** The clipping norm a private group's task applies, none for the others. */
  clipNorm(group: number): number | undefined {
    return this.privateGroups[group] ? this.settings.maxGradNorm : undefined;
  }

  /** Step `step`'s batch: the rows its Poisson sample took, ascending (maybe none). */
  batch(step: number): Int32Array {
    return poissonBatch(this.prf, step, this.settings.sampleRate);
  }

  /** Turns a private group's summed clipped gradient into the update's gradient: + N(0, (sigma C)^2), / (q n). */
  privatize(group: number, step: number, summed: Float32Array): void {
    if (!this.privateGroups[group]) return;
    const { noiseMultiplier, maxGradNorm } = this.settings;
    addGaussianNoise(this.stream, step, group, summed, noiseMultiplier * maxGradNorm);
    const scale = 1 / this.expectedBatch;
    for (let i = 0; i < summed.length; i++) summed[i] *= scale;
  }

  /** The accountant's epsilon after `steps` steps (the noise and the sampling of every step taken). */
  spent(steps: number): { spentEpsilon: number; steps: number } {
    const { sampleRate, noiseMultiplier, delta } = this.settings;
    // No step taken releases nothing (the conversion's constant terms would claim a positive epsilon).
    const spentEpsilon = steps === 0 ? 0 : epsilonSpent(sampleRate, noiseMultiplier, steps, delta).epsilon;
    return { spentEpsilon, steps };
  }
}
