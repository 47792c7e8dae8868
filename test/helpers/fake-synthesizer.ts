/**
 * A synthesizer without a network, for testing the pipeline in seconds: it "learns" a Gaussian
 * per numeric column and the category shares, and how well it learnt grows with the epochs it
 * trained (samples are shifted by (1 - epochs / EPOCHS_TO_LEARN) * 2 standard deviations).
 */
import type { Table } from '../../src/core/table.js';
import { createRng } from '../../src/core/rng.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { FitOptions, FitSummary, SampleOptions, SampleResult, Synthesizer } from '../../src/models/synthesizer.js';

export const EPOCHS_TO_LEARN = 300;

interface Learnt {
  readonly names: string[];
  readonly columns: (
    { kind: 'numeric'; mean: number; sd: number } | { kind: 'categorical'; levels: string[]; shares: number[] }
  )[];
}

export class FakeSynthesizer implements Synthesizer {
  readonly method = 'ddpm';
  training: FitSummary | null = null;
  private learnt: Learnt | null = null;
  private epochsDone = 0;
  /** A spread check to report with every sample (to test how the pipeline treats a failing one). */
  spread: { value: number; threshold: number } | null = null;
  disposed = false;

  /** `epochsToLearn`: how many epochs it needs to sample without a shift (Infinity: never learns). */
  constructor(
    readonly params: Readonly<Record<string, number>>,
    private readonly epochsToLearn = EPOCHS_TO_LEARN,
  ) {}

  columnNames(): string[] {
    return this.learnt?.names ?? [];
  }

  async fit(table: Table, options: FitOptions): Promise<FitSummary> {
    this.learnt = learn(table);
    const epochs = this.params.n_iter;
    const stepsPerEpoch = Math.ceil(table.rowCount / Math.min(this.params.batch_size, table.rowCount));
    let stopped = false;
    let earlyStopped = false;
    let epoch = 0;
    for (; epoch < epochs; epoch++) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      this.epochsDone = epoch + 1;
      options.onProgress?.({
        epoch,
        epochs,
        step: (epoch + 1) * stepsPerEpoch,
        steps: epochs * stepsPerEpoch,
        loss: 1,
        seconds: 0,
      });
      const policy = options.checkpoints;
      if (policy && (epoch + 1) % policy.everyEpochs === 0 && epoch + 1 < epochs) {
        if (
          await policy.decide(
            epoch + 1,
            async (rows) => (await this.sample(rows, { seed: options.seed + epoch })).table,
          )
        ) {
          earlyStopped = true;
          epoch++;
          break;
        }
      }
    }
    this.training = {
      epochsDone: this.epochsDone,
      epochs,
      stepsDone: this.epochsDone * stepsPerEpoch,
      seconds: 0.01,
      stepsPerSecond: 1,
      samplesPerSecond: 1,
      stopped,
      earlyStopped,
      epochLoss: [],
      threads: options.threads,
    };
    return this.training;
  }

  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const learnt = this.learnt!;
    options.signal?.throwIfAborted();
    const rng = createRng(options.seed ^ 0x5eed);
    const shift = Math.max(0, 1 - this.epochsDone / this.epochsToLearn) * 2;
    const columns = learnt.columns.map((c, i) => {
      if (c.kind === 'numeric') {
        const values = Float64Array.from({ length: rows }, () => c.mean + c.sd * (shift + standardNormal(rng)));
        return { name: learnt.names[i], kind: 'numeric' as const, values };
      }
      const codes = Int32Array.from({ length: rows }, () => pick(c.shares, rng.next()));
      return { name: learnt.names[i], kind: 'categorical' as const, codes, levels: c.levels };
    });
    options.onProgress?.(rows, rows);
    const checks = this.spread ? [{ id: 'sample_spread' as const, ...this.spread, message: 'fake spread' }] : [];
    return { table: { rowCount: rows, columns }, checks };
  }

  async save(): Promise<void> {}

  dispose(): void {
    this.disposed = true;
  }
}

function learn(table: Table): Learnt {
  return {
    names: table.columns.map((c) => c.name),
    columns: table.columns.map((c) => {
      if (c.kind === 'categorical') {
        const counts = c.levels.map((_, l) => c.codes.filter((code) => code === l).length);
        return { kind: 'categorical', levels: c.levels, shares: counts.map((n) => n / table.rowCount) };
      }
      const mean = c.values.reduce((a, b) => a + b, 0) / c.values.length;
      const sd = Math.sqrt(c.values.reduce((a, b) => a + (b - mean) ** 2, 0) / c.values.length);
      return { kind: 'numeric', mean, sd };
    }),
  };
}

function pick(shares: number[], u: number): number {
  let sum = 0;
  for (let i = 0; i < shares.length; i++) if (u < (sum += shares[i])) return i;
  return shares.length - 1;
}
