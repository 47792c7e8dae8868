/** The contract every synthesizer follows: fit on a table, sample rows, save and load. */
import type { BackendName } from '../core/backend-names.js';
import type { ColumnStatistics } from '../core/column-statistics.js';
import type { Table } from '../core/table.js';
import type { SampleCondition } from './conditional-sampling.js';
import type { FineTuneStart } from './fine-tune.js';

export interface FitProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  /** Each network's loss where a model trains several (CTGAN: generator and discriminator); `loss` is the generator's. */
  readonly losses?: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface FitOptions {
  readonly seed: number;
  /** Worker threads training runs on; with the seed and backend it fixes the result. With chooseThreads: the most it may use. */
  readonly threads: number;
  /** --threads auto: a short timed trial on 1 and more threads (up to `threads`) picks the count that trains (thread-choice.ts). */
  readonly chooseThreads?: boolean;
  readonly backend: BackendName;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FitProgress) => void;
  /** Called once, after a short timed calibration at the start, with the expected training seconds. */
  readonly onEstimate?: (seconds: number) => void;
  /** Early stopping: every `everyEpochs` epochs training pauses and `decide` looks at rows sampled from the model so far. */
  readonly checkpoints?: CheckpointPolicy;
  /** DP-SGD: train with per-example clipping and Gaussian noise to this (epsilon, delta); absent: ordinary training. */
  readonly privacy?: TrainingPrivacy;
  /**
   * One per column, public or released under DP: the model fits its transform (ranges, quantiles,
   * level lists, missing indicators) from these and re-codes the rows onto their levels, reading
   * nothing else from the table outside training's gradients.
   */
  readonly statistics?: readonly ColumnStatistics[];
  /**
   * Fine-tuning (--init-from): start from this saved model's transform and weights, which the
   * model's own fineTuneStart gave, instead of fitting a transform and drawing fresh weights. The
   * new model has the start's method and architecture parameters (the pipeline checks both).
   */
  readonly init?: FineTuneStart;
}

/** What DP-SGD training must meet (SPEC section 6); epsilon is training's share, after any preprocessing share. */
export interface TrainingPrivacy {
  readonly epsilon: number;
  readonly delta: number;
  /** Per-example gradient norm bound C. */
  readonly maxGradNorm: number;
  /** The released (noisy or declared-public) count of training rows: calibration, steps and the q·n divisor use it, never the table's exact count. */
  readonly rows: number;
  /**
   * Releases made before this training in the same attempt and charged in zCDP (a zCDP method's
   * preprocessing, but the row count, charged beside): they spent `rho`, stated as `epsilon` of the
   * account. The account's rho is that of epsilon + zcdpPrior.epsilon at delta; the training spends it less `rho`.
   */
  readonly zcdpPrior?: { readonly rho: number; readonly epsilon: number };
}

/** How a DP training run went: what the report's privacy section states. */
export interface TrainingPrivacySummary {
  readonly targetEpsilon: number;
  /** The accountant's epsilon for what the run actually spent: never above the target. */
  readonly spentEpsilon: number;
  readonly delta: number;
  /** DP-SGD's figures (absent for a method that does not train by DP-SGD). */
  readonly noiseMultiplier?: number;
  readonly sampleRate?: number;
  readonly steps?: number;
  readonly maxGradNorm?: number;
  /** A method accounted in zero-concentrated DP (AIM): rho and every charge. */
  readonly zcdp?: ZcdpSummary;
}

/** A run accounted in zCDP: its rho, what each stage and round spent, converted to (epsilon, delta). */
export interface ZcdpSummary {
  /** The rho the training epsilon and delta allow, by the conversion below. */
  readonly rho: number;
  readonly spentRho: number;
  /** Delta spent outside zCDP (a release threshold's chance of failing), added to the conversion's. */
  readonly thresholdDelta: number;
  readonly conversion: string;
  /** Charges before the rounds: discretisation, one-way marginals. */
  readonly stages: { readonly stage: string; readonly rho: number; readonly detail: string }[];
  readonly rounds: {
    readonly round: number;
    readonly marginal: string[];
    readonly selectionRho: number;
    readonly measurementRho: number;
    readonly sigma: number;
  }[];
}

/** The training engine went back to its last good checkpoint after a NaN or exploding loss (src/models/nn/train/restart.ts). */
export interface TrainingRestart {
  /** Epochs done when the loss went bad. */
  readonly epoch: number;
  /** Steps done then. */
  readonly step: number;
  /** The epoch whose weights and optimizer state training went back to (0: the initial ones). */
  readonly fromEpoch: number;
  /** The learning rate's multiplier from here on, relative to the configured one. */
  readonly lrScale: number;
  /** True when this was one restart too many: training stopped with the last good weights. */
  readonly stopped: boolean;
  readonly reason: string;
}

export interface CheckpointPolicy {
  readonly everyEpochs: number;
  /**
   * Resolves to true to stop training at this epoch. `sample` draws rows from the weight average
   * so far. `last`: the weights training ended with, judged only to choose what to keep.
   */
  decide(epoch: number, sample: (rows: number) => Promise<Table>, last?: boolean): Promise<boolean>;
  /** The epoch of the best checkpoint judged so far (null before any); absent: the model keeps its last weights. */
  bestEpoch?(): number | null;
  /** After the last checkpoint: the epoch whose weights the model keeps, the best one's or the last one's. */
  keptEpoch?(): number | null;
  /**
   * Asked after `decide` said go on at `epoch`: the factor the learning rate is multiplied by from
   * there on (1, or absent: unchanged), a plateau's answer. A model that cannot change its
   * learning rate while it trains may ignore it.
   */
  lrFactor?(epoch: number): number;
  /** Told of each restart the training engine made from its last good checkpoint. */
  restarted?(restart: TrainingRestart): void;
}

export interface FitSummary {
  readonly epochsDone: number;
  readonly epochs: number;
  readonly stepsDone: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  readonly samplesPerSecond: number;
  /** True when the signal stopped training early; the model keeps what it learnt. */
  readonly stopped: boolean;
  /** True when a checkpoint found the model good enough and stopped training before its last epoch. */
  readonly earlyStopped: boolean;
  /** Present when the model holds an earlier checkpoint's weights, which clearly beat the last ones: its epoch. */
  readonly keptEpoch?: number;
  readonly epochLoss: number[];
  readonly threads: number;
  /** With chooseThreads: the count chosen, the trial's rates, and why. */
  readonly threadChoice?: ThreadChoice;
  /** Present when training ran under DP-SGD. */
  readonly privacy?: TrainingPrivacySummary;
}

/** How --threads auto chose: the count that trained, each candidate's steps per second in the timed trial (NaN: not reached), why. */
export interface ThreadChoice {
  readonly chosen: number;
  readonly rates: readonly { readonly threads: number; readonly stepsPerSecond: number }[];
  readonly reason: string;
}

export interface SampleOptions {
  readonly seed: number;
  /** Only rows holding these values of one categorical column, the rows asked for of each value, in the values' order. */
  readonly condition?: SampleCondition;
  /** Aborting stops sampling; sample then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (rowsDone: number, rows: number) => void;
}

/**
 * A check the model makes on its own samples, beyond what the table metrics see: for TabDDPM,
 * the share of normalised numeric values piled up at the edge of their range (the signature of
 * a model that did not learn). `value` above `threshold` fails.
 */
export interface SampleCheck {
  readonly id: 'sample_spread';
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

export interface SampleResult {
  readonly table: Table;
  readonly checks: SampleCheck[];
}

/** Created and loaded only through the registry (src/models/registry.ts); knows nothing of splits or reports. */
export interface Synthesizer {
  readonly method: string;
  readonly params: Readonly<Record<string, number>>;
  /** How the model was trained (null for one that was loaded without a record, or not trained). */
  readonly training: FitSummary | null;
  /** The columns the model was trained on, in order. */
  columnNames(): string[];
  fit(table: Table, options: FitOptions): Promise<FitSummary>;
  sample(rows: number, options: SampleOptions): Promise<SampleResult>;
  /**
   * What a fit of a new model of this method may start from (FitOptions.init): the transform and
   * every network's weights; null when the model was loaded from a folder saved without the parts
   * training needs (an older format). Absent: the method cannot be fine-tuned.
   */
  fineTuneStart?(): FineTuneStart | null;
  /** The same trained model sampling with these values of its sampling-only parameters (the descriptor's samplingParams). */
  withSampling?(values: Readonly<Record<string, number>>): Synthesizer;
  /** Writes the model into `dir` (created if missing); the caller may keep its own files beside it. */
  save(dir: string): Promise<void>;
  dispose(): void;
}
