/** What `generate` is asked (the request) and told along the way (the hooks). */
import type { BackendName } from '../core/backend-names.js';
import type { InputFile } from '../core/io/load-inputs.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Schema } from '../core/schema/schema.js';
import type { Thresholds } from '../metrics/thresholds.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type MethodChoice, type MethodId, type Registry } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { FitProgress, Synthesizer } from '../models/synthesizer.js';
import type { CheckpointEvent } from './attempt.js';
import type { AttemptPlan } from './attempt-plan.js';
import type { AttemptSummary, SearchSettings } from './attempts.js';
import type { RowSink } from './chunked-output.js';
import type { IdentifierRequest } from './identifier-columns.js';
import type { InitFrom } from './init-from.js';
import type { PrivacyRequest } from './privacy-plan.js';
import type { PrivacyRecord } from './privacy-record.js';
import type { SplitRecord } from './split-record.js';

export interface GenerateRequest {
  readonly method: MethodChoice;
  /** The methods to train and switch between (default: the shipped ones). */
  readonly registry?: Registry;
  /** The input's fingerprint (path, rows, hash) and schema, for the split and the report. */
  readonly input: InputFile;
  readonly schema: Schema;
  /** What the user declared about the columns (the metadata file, public bounds, --discrete/--continuous): public. */
  readonly metadata?: TableMetadata;
  /** Rows to sample (of each value, with a condition); absent: as many as the input holds (under DP, as released). */
  readonly rows?: number;
  /** --condition: only rows with these values of one categorical column. */
  readonly condition?: SampleCondition;
  /** Parameters the user set, each with where it came from; the rest come from the size defaults. */
  readonly overrides: readonly ResolvedParam[];
  readonly plan: AttemptPlan;
  /** How a run of several attempts is bounded and chooses: the time budget, a preference, the search's start. */
  readonly search?: SearchSettings;
  /** Train with DP-SGD under this budget (none: ordinary training). */
  readonly privacy?: PrivacyRequest;
  readonly holdoutFraction: number;
  readonly thresholds: Thresholds;
  /** The config files the thresholds came from, for the report. */
  readonly configFiles?: readonly string[];
  readonly backend: BackendName;
  readonly seed: number;
  /** The split's key (SPEC section 8); absent: the seed. */
  readonly splitKey?: number;
  /** The validation split's share where the run makes choices (default 0.1; SPEC section 9). */
  readonly validationFraction?: number;
  /** Identifier and personal-data columns: detected (default) and dropped, or kept with fresh values. */
  readonly identifiers?: IdentifierRequest;
  /** Under DP: also evaluate the kept rows against the private training and holdout rows, outside the guarantee. */
  readonly privateReport?: boolean;
  /** Training threads; with chooseThreads, the most an attempt may use. */
  readonly threads: number;
  /** --threads auto: each attempt's training picks its thread count from a short timed trial. */
  readonly chooseThreads?: boolean;
  readonly earlyStop: boolean;
  /** False: judge nothing (sampling from a saved model with --no-eval). Default true. */
  readonly evaluate?: boolean;
  /** A model to sample from instead of training, with the split it was trained on (if known) and its DP record (if any). */
  readonly loaded?: {
    readonly model: Synthesizer;
    readonly split: SplitRecord | null;
    readonly privacy: PrivacyRecord | null;
    readonly dir: string;
  };
  /** Fine-tuning (--init-from): every attempt starts from this saved model's transform and weights. */
  readonly initFrom?: InitFrom;
  /** Where the caller will save the kept model and write the rows, for the report. */
  readonly saveTo?: string;
  readonly outputPath: string;
  /**
   * Where rows past a chunk (CHUNK_ROWS, chunked-output.ts) are written as they are sampled, a
   * chunk at a time; absent, a run of more rows is refused. Fewer rows come back whole, in `csv`.
   */
  readonly rowsSink?: RowSink;
  /** Prefix cells a spreadsheet would read as a formula with a quote. */
  readonly excelSafe?: boolean;
  /** Columns in the report's association heatmaps (default 20). */
  readonly heatmapColumns?: number;
  /** The column ML efficacy predicts (none: ml_efficacy does not apply). */
  readonly target?: string;
  /** Makes each attempt's model; default: the registry's model of `method`. */
  readonly create?: (method: MethodId, params: Readonly<Record<string, number>>) => Promise<Synthesizer>;
  /** Aborted: training stops after the current step and the rows come from what was learnt. */
  readonly stopTraining: AbortSignal;
  /** Aborted: everything stops and nothing is returned (an interrupted error). */
  readonly stopAll: AbortSignal;
}

export interface GenerateHooks {
  readonly info?: (text: string) => void;
  readonly warn?: (text: string) => void;
  /** Before training: the parameters of the first attempt and the split. */
  readonly planned?: (params: readonly ResolvedParam[], split: SplitRecord) => void;
  readonly estimate?: (seconds: number) => void;
  readonly training?: (progress: FitProgress) => void;
  readonly sampling?: (done: number, total: number, seconds: number) => void;
  readonly attemptDone?: (attempt: AttemptSummary) => void;
  /** Early stopping's checkpoints: when one is being judged (training waits), and its verdict. */
  readonly checkpoint?: (event: CheckpointEvent) => void;
}

/** The descriptor of the request's method, in the request's registry. */
export const methodOf = (request: GenerateRequest): MethodDescriptor =>
  (request.registry ?? REGISTRY).get(request.method.id);
