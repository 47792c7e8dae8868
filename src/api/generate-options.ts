/** The options of the library's generate: the report's snake_case names, each with what it does. */
import type { BackendChoice } from '../core/backend-names.js';
import type { Thresholds } from '../metrics/thresholds.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import type { Registry } from '../models/registry.js';
import type { Preference } from '../optimizer/pareto.js';
import type { TableInput, TableReading } from './inputs.js';

/** A parameter's value, or its value and where it came from (the report says so). */
export type ParamSetting = number | { readonly value: number; readonly source: string };

export interface GenerateOptions extends TableReading {
  /** A method of the registry, or 'auto' (default: the registry's first, TabDDPM). */
  readonly method?: string;
  /** Rows to sample (default: as many as the input; under DP, as released). */
  readonly rows?: number;
  /** Parameters of the method's space; the others come from the size defaults. */
  readonly params?: Readonly<Record<string, ParamSetting>>;
  /** Retry with the optimizer's changes until all green, keeping the best attempt (default 1). */
  readonly max_attempts?: number;
  /**
   * How attempts after the first are chosen: 'rules' (default; the optimizer's changes) or 'bayes'
   * (a surrogate over the method's search box, seeded by the rules, pruning poor attempts at checkpoints).
   */
  readonly search?: 'rules' | 'bayes';
  /** Seconds the attempts may take: none starts after it, and training in progress stops at it (the report then says it is not repeatable). */
  readonly time_budget?: number;
  /** Weights of utility, privacy and time that choose the kept attempt on the front among the best-standing ones. */
  readonly prefer?: Preference;
  /** Attempts of the search or the grid that run side by side, each on its own training threads (default 1). */
  readonly parallel_attempts?: number;
  /** Keep a mixture of this many (2-3) best attempts' rows, weighted on the validation split, where it beats the best attempt. */
  readonly ensemble?: number;
  /** Earlier generation reports (parsed JSON) whose attempts warm-start the search. */
  readonly previous?: readonly unknown[];
  /** Names of `previous`, for messages (default: report 1, report 2, ...). */
  readonly previous_names?: readonly string[];
  /** Train every combination of these values (parameters of the space, and epsilon) and keep the best. */
  readonly grid?: Readonly<Record<string, readonly number[]>>;
  /** Checkpoints that stop training once all green and no longer improving (default true). */
  readonly early_stop?: boolean;
  readonly holdout_fraction?: number;
  readonly validation_fraction?: number;
  /** Every check and its threshold (default: the SPEC's). */
  readonly thresholds?: Thresholds;
  /** The config files the thresholds came from, for the report. */
  readonly config_files?: readonly string[];
  /** Seed of everything random (default 0); under DP without one, the split's key is random (SPEC section 8). */
  readonly seed?: number;
  /**
   * Training threads (default 1; with the seed and backend they fix the result), or 'auto': each
   * attempt times a few steps on 1 and more threads (up to the cores, at most 4, shared among
   * parallel attempts) and trains on the fastest; the report then says the run repeats only with
   * the count chosen.
   */
  readonly threads?: number | 'auto';
  readonly backend?: BackendChoice;
  /** Only rows holding these values of one categorical column, `rows` of each. */
  readonly condition?: SampleCondition;
  /** Adds ML efficacy to the evaluation: predict this column. */
  readonly target?: string;
  /** Train under DP: the most epsilon the attempt spends, preprocessing included. */
  readonly epsilon?: number;
  readonly total_epsilon?: number;
  readonly delta?: number;
  readonly max_grad_norm?: number;
  readonly preprocessing_fraction?: number;
  /** Public rows (same columns, not from the input) that alone judge attempts under DP. */
  readonly public_validation?: TableInput;
  /** Under DP, also evaluate the rows against the private ones (returned apart: NOT covered by the guarantee). */
  readonly private_report?: boolean;
  /** Sample from the model saved in this folder instead of training one. */
  readonly load_model?: string;
  /**
   * Fine-tune the model saved in this folder on the rows (same columns) instead of training from
   * zero: its method, architecture and transform are kept; under DP it must be a DP model, whose
   * budget adds to this run's.
   */
  readonly init_from?: string;
  /** Identifier columns to keep, written with fresh values (the others are set aside). */
  readonly keep_id?: readonly string[];
  /** False: no identifier detection (a key or an email is learnt like any column). Default true. */
  readonly id_detection?: boolean;
  /** False: judge nothing. Default true. */
  readonly evaluate?: boolean;
  readonly excel_safe?: boolean;
  readonly heatmap_columns?: number;
  /** Save the kept model into this folder (loadable by `gesalp generate --load-model`). */
  readonly save_model?: string;
  /** Where the caller will write the rows, for the report (default: `out`). */
  readonly output_path?: string;
  /**
   * Write the rows to this CSV file, whole or not at all (written aside, renamed once every row is
   * in). Past CHUNK_ROWS rows (100,000) the rows are sampled and written a chunk at a time in
   * constant memory, and only the first chunk comes back (the rows the metrics judged): such a run
   * needs `out`, or the `rows` hook.
   */
  readonly out?: string;
  /** The methods to choose from (default: the shipped ones). */
  readonly registry?: Registry;
}
