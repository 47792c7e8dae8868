/**
 * CTGAN (Xu et al. 2019) as a Synthesizer: mode-specific normalisation, a conditional generator
 * and a packed WGAN-GP critic trained by the engine (train-task.ts), sampling in batches of
 * batch_size from the generator alone. It trains on the fused engine only: the gradient penalty
 * runs there. Batch norm statistics are per training shard (as PyTorch's DDP without
 * SyncBatchNorm), so --threads is part of what fixes a run, with the seed and the backend.
 * Under DP-SGD (train-task.ts) the critic judges single rows (pac is set to 1, whatever the
 * parameters say), the layout comes from the DP statistics, and the conditional vectors draw
 * categories by the DP statistics' noisy counts (uniformly where a list was declared public):
 * no frequency is counted from the rows.
 */
import { inputError, optionError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { Table } from '../../core/table.js';
import { columnTemplate, templateTable, type ColumnTemplate } from '../column-template.js';
import {
  appendTables,
  conditionError,
  keepMatching,
  resolveCondition,
  type SampleCondition,
} from '../conditional-sampling.js';
import { initialNetWeights } from '../nn/init.js';
import { PROGRESS_EVERY, checkpointSeed, trainForFit } from '../nn/train/fit-report.js';
import { encodingDraws, expectedBatch, planPrivateTraining, type PrivateSettings } from '../nn/train/private-plan.js';
import type { TrainJob } from '../nn/train/task.js';
import { recodeToStatistics } from '../../core/column-statistics.js';
import { privateConditionCounts } from './private-condition-counts.js';
import type { FitOptions, FitSummary, SampleOptions, SampleResult, Synthesizer } from '../synthesizer.js';
import { modeMissingAllowed, fineTuneRows, startOf, type FineTuneStart } from '../fine-tune.js';
import { decodeModeRows, fitModeData } from '../transformers/mode-codec.js';
import type { ModeLayout } from '../transformers/mode-layout.js';
import { CondVectors } from './cond-vector.js';
import { DISCRIMINATOR_DIMS, GENERATOR_DIMS } from './networks.js';
import { loadCtgan, samplingShape, saveCtgan } from './persist.js';
import { RowsByCategory } from './rows-by-category.js';
import { generateRows } from './sample.js';
import type { CtganParams } from './space.js';
import { discreteSpans } from './spans.js';
import { DISCRIMINATOR, GENERATOR, discriminatorOf, generatorOf, shapeWidths, type CtganShape } from './steps.js';
import { ctganJob, type CtganPayload } from './train-task.js';

const SAMPLE_SALT = 0x5eed;

interface TrainedState {
  readonly layout: ModeLayout;
  readonly columns: ColumnTemplate[];
  /** Training rows per category of each discrete span: what sampling's conditional vectors draw from. */
  readonly categoryCounts: number[][];
  readonly generator: Float32Array;
  /** The critic's weights and the rows it judges together, which fine-tuning needs (absent in a model saved before they were kept). */
  readonly critic?: { readonly weights: Float32Array; readonly pac: number } | null;
  readonly training: FitSummary | null;
}

/** What a fine-tuning fit starts from: the saved transform, both networks and the saved draws of categories. */
interface CtganStart {
  readonly layout: ModeLayout;
  readonly categoryCounts: number[][];
  readonly generator: Float32Array;
  readonly critic: { readonly weights: Float32Array; readonly pac: number };
}

/** `pac`: the critic's, 1 under DP-SGD (sampling reads none). */
const trainingShape = (params: CtganParams, layout: ModeLayout, pac: number): CtganShape => ({
  ...samplingShape({ params, layout, generatorDims: GENERATOR_DIMS }),
  discriminatorDims: DISCRIMINATOR_DIMS,
  pac,
});

/**
 * What a fit trains on `rows` (recoded onto the statistics when given): the layout, the category
 * weights the conditional vectors draw from, and the engine job. The seeded stream fits the
 * layout and gives the initial weights (and without DP the encoding's modes); under DP each row's
 * encoding draws are its own keyed ones and no frequency is counted from the rows.
 */
export function ctganTraining(
  params: CtganParams,
  rows: Table,
  options: Pick<FitOptions, 'seed' | 'statistics' | 'checkpoints'>,
  privacy: PrivateSettings | undefined,
  start?: CtganStart,
): { layout: ModeLayout; categoryCounts: number[][]; job: TrainJob<CtganPayload> } {
  const rng = createRng(options.seed);
  const stats = options.statistics;
  const rowDraws = privacy && ((perRow: number) => encodingDraws(privacy, perRow));
  // Fine-tuning encodes the rows with the saved transform, refitting nothing.
  const { layout, data } = fitModeData(rows, rng, stats, rowDraws, start?.layout);
  // Under DP one critic row is one example: packs would mix several rows into one gradient.
  const pac = privacy ? 1 : params.pac;
  if (start && start.critic.pac !== pac)
    throw optionError(
      'usage',
      'init_from',
      `the critic of the model in {init_from} judges ${start.critic.pac} row(s) together; this fit needs ${pac}`,
      'Fine-tune with the pac the model was trained with (under DP-SGD only a model trained with pac 1).',
    );
  const shape = trainingShape(params, layout, pac);
  const { discrete, data: width } = shapeWidths(shape);
  // Under DP no frequency is counted from the rows: the DP statistics' noisy counts, or equal weights;
  // a fine-tuned model's, the saved model's (released with it), since the new statistics describe another transform.
  const categoryCounts = privacy
    ? (start?.categoryCounts ?? privateConditionCounts(layout, stats))
    : new RowsByCategory(data, rows.rowCount, width, discrete).counts();
  const job = ctganJob(
    {
      shape,
      data,
      ...(privacy ? { private: { expectedBatch: expectedBatch(privacy), conditionCounts: categoryCounts } } : {}),
    },
    {
      params,
      seed: options.seed,
      initial: start
        ? { generator: start.generator.slice(), discriminator: start.critic.weights.slice() }
        : {
            generator: initialNetWeights(generatorOf(shape), rng),
            discriminator: initialNetWeights(discriminatorOf(shape), rng),
          },
      reportEvery: PROGRESS_EVERY,
      checkEvery: options.checkpoints?.everyEpochs ?? 0,
      privacy,
    },
  );
  return { layout, categoryCounts, job };
}

export class Ctgan implements Synthesizer {
  readonly method = 'ctgan';
  private state: TrainedState | undefined;

  constructor(
    readonly params: CtganParams,
    state?: TrainedState,
  ) {
    if (params.batch_size % params.pac !== 0)
      throw optionError(
        'usage',
        'params',
        `CTGAN's batch_size ${params.batch_size} is not a multiple of pac ${params.pac} (the critic judges packs of pac rows)`,
        `Give {batch_size} a multiple of ${params.pac}, e.g. ${Math.max(params.pac, Math.round(params.batch_size / params.pac) * params.pac)}.`,
        ['batch_size'],
      );
    this.state = state;
  }

  get training(): FitSummary | null {
    return this.state?.training ?? null;
  }

  columnNames(): string[] {
    return this.requireState().columns.map((c) => c.name);
  }

  async fit(table: Table, options: FitOptions): Promise<FitSummary> {
    if (options.backend !== 'fused')
      throw optionError(
        'usage',
        'backend',
        `CTGAN trains on the fused engine only (its gradient penalty runs there), not on {backend} ${options.backend}`,
        'Use {backend} fused.',
      );
    if (table.rowCount === 0) throw new Error('cannot fit on an empty table');
    this.dispose();
    const start = options.init && startOf<CtganStart>(options.init, this.method);
    // DP preprocessing (issue 13): given statistics, the layout and the level lists come from them alone.
    // Fine-tuning: the saved model's level lists (under DP a level it lacks encodes as none, unrefused).
    const stats = options.statistics;
    const rows = fineTuneRows(stats ? recodeToStatistics(table, stats) : table, options.init, Boolean(stats));
    // Under DP-SGD the batches, noise and every draw of the critic's step come from a fresh secret key: the seed does not repeat the run.
    const privacy = planPrivateTraining(
      options,
      { batchSize: this.params.batch_size, epochs: this.params.n_iter },
      rows,
    );
    const { layout, categoryCounts, job } = ctganTraining(this.params, rows, options, privacy, start || undefined);
    const columns = rows.columns.map(columnTemplate);
    const checkpointSample = (epoch: number, weights: Record<string, Float32Array>) => (rows: number) =>
      this.sampleTable(
        { layout, columns, categoryCounts, generator: weights[GENERATOR], training: null },
        rows,
        checkpointSeed(options.seed, epoch),
      );
    const { result, training } = await trainForFit(job, options, {
      epochs: this.params.n_iter,
      // Rows drawn by training-by-sampling, batch_size per step; under DP the expected Poisson batch.
      rowsPerStep: privacy ? expectedBatch(privacy) : this.params.batch_size,
      lossGroup: GENERATOR,
      privacy,
      checkpointSample,
    });
    const critic = { weights: result.weights[DISCRIMINATOR], pac: privacy ? 1 : this.params.pac };
    this.state = { layout, columns, categoryCounts, generator: result.weights[GENERATOR], critic, training };
    return training;
  }

  fineTuneStart(): FineTuneStart | null {
    const state = this.requireState();
    if (!state.critic) return null;
    const { layout, categoryCounts, generator, critic } = state;
    const start: CtganStart = { layout, categoryCounts, generator, critic };
    return {
      method: this.method,
      params: this.params,
      columns: state.columns,
      missingAllowed: modeMissingAllowed(layout),
      state: start,
    };
  }

  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const state = this.requireState();
    if (!options.condition) {
      const { signal, onProgress } = options;
      return { table: await this.sampleTable(state, rows, options.seed, { signal, onProgress }), checks: [] };
    }
    return { table: await this.sampleConditioned(state, rows, options.condition, options), checks: [] };
  }

  /** Rows steered by the conditional vector to each value in turn; the few that miss it are dropped. */
  private async sampleConditioned(
    state: TrainedState,
    rows: number,
    condition: SampleCondition,
    options: SampleOptions,
  ): Promise<Table> {
    const target = resolveCondition(condition, state.columns);
    const discrete = discreteSpans(state.layout);
    const part = state.layout.categorical.find((c) => c.column === target.column)!;
    const column = discrete.findIndex((d) => d.span === part.span);
    const parts: Table[] = [];
    for (const [v, code] of target.codes.entries()) {
      const category = part.codes.indexOf(code);
      const name = `${condition.column}=${condition.values[v]}`;
      if (column < 0 || category < 0)
        throw conditionError(
          `{condition} ${name}: the model was not trained on rows with it`,
          'Condition on a value the training rows hold.',
        );
      parts.push(
        await keepMatching(rows, target.column, code, name, (count, round) =>
          this.sampleTable(state, count, (options.seed ^ SAMPLE_SALT) + 7919 * (v + 1) + round, {
            signal: options.signal,
            condition: { column, category },
          }),
        ),
      );
      options.onProgress?.((v + 1) * rows, target.codes.length * rows);
    }
    return appendTables(parts);
  }

  private async sampleTable(
    state: TrainedState,
    rows: number,
    seed: number,
    options: Pick<SampleOptions, 'signal' | 'onProgress'> & { condition?: { column: number; category: number } } = {},
  ): Promise<Table> {
    const conditions = new CondVectors(discreteSpans(state.layout), state.categoryCounts);
    const data = await generateRows({ shape: this.shape(state.layout), weights: state.generator }, conditions, rows, {
      rng: createRng(seed ^ SAMPLE_SALT),
      batchSize: this.params.batch_size,
      ...options,
    });
    return decodeModeRows(state.layout, data, templateTable(state.columns));
  }

  async save(dir: string): Promise<void> {
    const state = this.requireState();
    await saveCtgan(dir, {
      params: this.params,
      layout: state.layout,
      columns: state.columns,
      categoryCounts: state.categoryCounts,
      training: state.training,
      generatorDims: GENERATOR_DIMS,
      weights: state.generator,
      critic: state.critic ? { ...state.critic, dims: DISCRIMINATOR_DIMS } : null,
    });
  }

  static async load(dir: string): Promise<Ctgan> {
    const saved = await loadCtgan(dir);
    if (saved.generatorDims.join() !== GENERATOR_DIMS.join())
      throw inputError(
        `${dir}/model.json describes a generator of ${saved.generatorDims.join(', ')} units; this build has ${GENERATOR_DIMS.join(', ')}`,
        'Train and save the model again with this version of gesalp.',
      );
    return new Ctgan(saved.params, {
      layout: saved.layout,
      columns: saved.columns,
      categoryCounts: saved.categoryCounts,
      generator: saved.weights,
      // A critic of other sizes than this build's cannot be trained on: the model then samples only.
      critic: saved.critic && saved.critic.dims.join() === DISCRIMINATOR_DIMS.join() ? saved.critic : null,
      training: saved.training,
    });
  }

  dispose(): void {
    this.state = undefined;
  }

  private shape(layout: ModeLayout): CtganShape {
    return trainingShape(this.params, layout, this.params.pac);
  }

  private requireState(): TrainedState {
    if (!this.state) throw new Error('the model has not been trained or loaded');
    return this.state;
  }
}
