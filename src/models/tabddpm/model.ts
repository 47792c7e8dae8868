/** TabDDPM (Kotelnikov et al. 2023) as a Synthesizer: quantile-normal + multinomial diffusion over one MLP denoiser. */
import { createRng } from '../../core/rng.js';
import type { Table } from '../../core/table.js';
import type { FitOptions, FitSummary, SampleOptions, SampleResult, Synthesizer } from '../synthesizer.js';
import { decodeRows, encodeRows, encodingDrawsPerRow, type EncodedRows } from '../transformers/codec.js';
import { fitLayout, layoutFromStatistics, spanSizes, type Layout } from '../transformers/layout.js';
import { recodeToStatistics } from '../../core/column-statistics.js';
import { spanGeometry } from './batch.js';
import { initialWeights, type DenoiserShape, type TrainedDenoiser } from './denoiser.js';
import { PROGRESS_EVERY, checkpointSeed, trainForFit } from '../nn/train/fit-report.js';
import {
  encodingDraws,
  expectedBatch,
  planPrivateTraining,
  unseenLevelDraws,
  type PrivateSettings,
} from '../nn/train/private-plan.js';
import type { TrainJob } from '../nn/train/task.js';
import { sampleRows } from './sample.js';
import { cosineSchedule, type Schedule } from './schedule.js';
import { TABDDPM_FIXED_DEFAULTS, type TabDdpmParams } from './space.js';
import { edgeShares, sampledSpread } from './spread-check.js';
import { DENOISER, tabDdpmJob, type TabDdpmPayload } from './train-task.js';
import { loadTabDdpm, saveTabDdpm } from './persist.js';
import { columnTemplate, templateTable, type ColumnTemplate } from '../column-template.js';
import {
  drawUnseenLevels,
  holdsUnseen,
  layoutMissingAllowed,
  fineTuneRows,
  startOf,
  unseenDrawsPerRow,
  type FineTuneStart,
} from '../fine-tune.js';
import { sampleEachValue } from '../conditional-sampling.js';

/** Salts the seeded stream of the levels drawn for unseen values outside DP-SGD (apart from the weights'). */
const UNSEEN_SALT = 0x756e5345;

export interface TrainedState {
  readonly layout: Layout;
  readonly columns: ColumnTemplate[];
  /** The denoiser holding the weight average, which is what samples. */
  readonly model: TrainedDenoiser;
  readonly training: FitSummary | null;
  /** Training rows' share at the edge of the range per numeric column, for the spread check (null for models saved before it was kept). */
  readonly edgeShares: number[] | null;
}

/**
 * What a fit trains on `rows` (recoded onto the statistics when given): the layout, the encoded
 * rows, the denoiser's shape and the engine job. The seeded stream gives the initial weights (and
 * without DP the encoding's draws); under DP each row's encoding draws are its own keyed ones.
 */
export function tabDdpmTraining(
  params: TabDdpmParams,
  rows: Table,
  options: Pick<FitOptions, 'seed' | 'statistics' | 'checkpoints'>,
  privacy: PrivateSettings | undefined,
  start?: TrainedDenoiser & { readonly layout: Layout },
): { layout: Layout; data: EncodedRows; shape: DenoiserShape; job: TrainJob<TabDdpmPayload> } {
  const rng = createRng(options.seed);
  // Fine-tuning encodes the rows with the saved transform, refitting nothing.
  const layout = start ? start.layout : options.statistics ? layoutFromStatistics(options.statistics) : fitLayout(rows);
  // Shared: every training shard reads these rows, none holds a copy of its own.
  const draws = privacy ? encodingDraws(privacy, encodingDrawsPerRow(layout)) : rng;
  const data = encodeRows(layout, rows, draws, true);
  const dNum = layout.numeric.length;
  const sizes = spanSizes(layout);
  const shape = start?.shape ?? {
    inputWidth: dNum + spanGeometry(sizes).width,
    layers: params.layers,
    width: params.width,
  };
  const job = tabDdpmJob(
    { data, dNum, spanSizes: sizes, params },
    {
      seed: options.seed,
      initialWeights: start ? start.weights.slice() : initialWeights(shape, rng),
      reportEvery: PROGRESS_EVERY,
      checkEvery: options.checkpoints?.everyEpochs ?? 0,
      privacy,
    },
  );
  return { layout, data, shape, job };
}

export class TabDdpm implements Synthesizer {
  readonly method = 'ddpm';
  private readonly schedule: Schedule;
  private state: TrainedState | undefined;

  constructor(
    readonly params: TabDdpmParams,
    state?: TrainedState,
  ) {
    this.schedule = cosineSchedule(params.num_timesteps);
    this.state = state;
  }

  columnNames(): string[] {
    return this.requireState().columns.map((c) => c.name);
  }

  get training(): FitSummary | null {
    return this.state?.training ?? null;
  }

  async fit(table: Table, options: FitOptions): Promise<FitSummary> {
    if (table.rowCount === 0) throw new Error('cannot fit on an empty table');
    this.dispose();
    const start = options.init && startOf<TrainedDenoiser & { layout: Layout }>(options.init, this.method);
    // DP preprocessing (issue 13): given statistics, the layout and the level lists come from them alone.
    // Fine-tuning: the saved model's level lists; under DP a value it cannot encode is encoded
    // unrefused and no row is dropped (a level it lacks: a uniform draw of its levels, fine-tune.ts).
    const stats = options.statistics;
    const recoded = stats ? recodeToStatistics(table, stats) : table;
    const coded = fineTuneRows(recoded, options.init, Boolean(stats));
    // Under DP-SGD the batches, noise and per-row draws come from a fresh secret key: the seed does not repeat the run.
    // The rows' identities read their own levels, before those the saved model lacks are coded UNSEEN.
    const privacy = planPrivateTraining(
      options,
      { batchSize: this.params.batch_size, epochs: this.params.n_iter },
      recoded,
    );
    const rows =
      start && holdsUnseen(coded)
        ? drawUnseenLevels(
            coded,
            start.layout,
            privacy
              ? unseenLevelDraws(privacy, unseenDrawsPerRow(start.layout))
              : createRng(options.seed ^ UNSEEN_SALT),
          )
        : coded;
    const { layout, data, shape, job } = tabDdpmTraining(this.params, rows, options, privacy, start || undefined);
    const columns = rows.columns.map(columnTemplate);
    const checkpointSample = (epoch: number, weights: Record<string, Float32Array>) => (rows: number) =>
      this.sampleWith(
        { layout, columns, model: { shape, weights: weights[DENOISER] } },
        rows,
        checkpointSeed(options.seed, epoch),
      );
    const { result, training } = await trainForFit(job, options, {
      epochs: this.params.n_iter,
      rowsPerStep: privacy
        ? expectedBatch(privacy)
        : data.rows / Math.ceil(data.rows / Math.min(this.params.batch_size, data.rows)),
      lossGroup: DENOISER,
      privacy,
      checkpointSample,
    });
    // Sampling uses the weight average, which shard 0 kept.
    this.state = {
      layout,
      columns,
      model: { shape, weights: result.weights[DENOISER] },
      training,
      // The edge shares are a statistic of the training rows outside the clipped, noised gradients: not kept under DP.
      edgeShares: stats || privacy ? null : edgeShares(data, layout.numeric.length),
    };
    return training;
  }

  fineTuneStart(): FineTuneStart {
    const state = this.requireState();
    return {
      method: this.method,
      params: this.params,
      columns: state.columns,
      missingAllowed: layoutMissingAllowed(state.layout),
      state: { ...state.model, layout: state.layout },
    };
  }

  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const state = this.requireState();
    if (options.condition) return { table: await this.sampleConditioned(state, rows, options), checks: [] };
    const encoded = await this.sampleEncoded(state, rows, options);
    const names = state.layout.numeric.map((part) => state.columns[part.column].name);
    const checks = state.edgeShares
      ? [sampledSpread(state.edgeShares, encoded, state.layout.numeric.length, names)]
      : [];
    return { table: decodeRows(state.layout, encoded, templateTable(state.columns)), checks };
  }

  /** Diffusion cannot be steered to a category: plain rows, kept where they hold each value (rejection sampling). */
  private sampleConditioned(state: TrainedState, rows: number, options: SampleOptions): Promise<Table> {
    return sampleEachValue(state.columns, rows, { ...options, condition: options.condition! }, async (count, seed) =>
      decodeRows(
        state.layout,
        await this.sampleEncoded(state, count, { seed, signal: options.signal }),
        templateTable(state.columns),
      ),
    );
  }

  /** Rows from any denoiser over this layout (the trained one, or a checkpoint's average). */
  private async sampleWith(
    state: Pick<TrainedState, 'layout' | 'columns' | 'model'>,
    rows: number,
    seed: number,
  ): Promise<Table> {
    return decodeRows(state.layout, await this.sampleEncoded(state, rows, { seed }), templateTable(state.columns));
  }

  private sampleEncoded(
    state: Pick<TrainedState, 'layout' | 'model'>,
    rows: number,
    options: SampleOptions,
  ): Promise<EncodedRows> {
    const geometry = spanGeometry(spanSizes(state.layout));
    return sampleRows(state.model, state.layout.numeric.length, geometry, this.schedule, rows, {
      rng: createRng(options.seed ^ 0x5eed),
      signal: options.signal,
      onProgress: options.onProgress,
      // Parameters built by hand before sample_steps existed sample with the full schedule, as they always did.
      sampleSteps: this.params.sample_steps ?? this.params.num_timesteps,
      eta: this.params.sample_eta ?? TABDDPM_FIXED_DEFAULTS.sample_eta,
    });
  }

  withSampling(values: Readonly<Record<string, number>>): TabDdpm {
    return new TabDdpm({ ...this.params, ...values }, this.requireState());
  }

  async save(dir: string): Promise<void> {
    const state = this.requireState();
    await saveTabDdpm(dir, {
      params: this.params,
      layout: state.layout,
      columns: state.columns,
      training: state.training,
      edgeShares: state.edgeShares,
      weights: state.model,
    });
  }

  static async load(dir: string): Promise<TabDdpm> {
    const saved = await loadTabDdpm(dir);
    return new TabDdpm(saved.params, {
      layout: saved.layout,
      columns: saved.columns,
      model: saved.weights,
      training: saved.training,
      edgeShares: saved.edgeShares,
    });
  }

  dispose(): void {
    this.state = undefined;
  }

  private requireState(): TrainedState {
    if (!this.state) throw new Error('the model has not been trained or loaded');
    return this.state;
  }
}
