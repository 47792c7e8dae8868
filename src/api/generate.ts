/**
 * generate as a library call: a table in, synthetic rows and the report out, through the same
 * pipeline as `gesalp generate` (split, size defaults, attempts, DP, evaluation). Options are the
 * report's snake_case names; nothing is written unless asked (`save_model`, or `writeTable`).
 */
import type { BackendChoice } from '../core/backend-names.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/config.js';
import { describeDialect, type DialectRequest } from '../core/io/dialect.js';
import { GesalpError, optionError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import { REGISTRY, resolveMethod, type Registry } from '../models/registry.js';
import { parseParam } from '../models/space.js';
import type { GenerateHooks } from '../pipeline/generate.js';
import type { GenerationReport } from '../pipeline/report.js';
import { MAX_EPSILON } from '../privacy/epsilon-limit.js';
import type { ApiHooks } from './hooks.js';
import { readInputs, type TableInput } from './inputs.js';
import { declarationOf, type MetadataInput } from './metadata.js';
import { checkTargetColumns } from './target-columns.js';

/** DP-SGD's per-example gradient bound and the preprocessing share when not given (SPEC section 6). */
export const DEFAULT_MAX_GRAD_NORM = 1.0;
export const DEFAULT_PREPROCESSING_FRACTION = 0.2;

export interface GenerateOptions {
  /** A method of the registry, or 'auto' (default: the registry's first, TabDDPM). */
  readonly method?: string;
  /** Rows to sample (default: as many as the input; under DP, as released). */
  readonly rows?: number;
  /** Parameters of the method's space; the others come from the size defaults. */
  readonly params?: Readonly<Record<string, number>>;
  /** Retry with the optimizer's changes until all green, keeping the best attempt (default 1). */
  readonly max_attempts?: number;
  /** Checkpoints that stop training once all green and no longer improving (default true). */
  readonly early_stop?: boolean;
  readonly holdout_fraction?: number;
  readonly validation_fraction?: number;
  /** Every check and its threshold (default: the SPEC's). */
  readonly thresholds?: Thresholds;
  readonly seed?: number;
  readonly threads?: number;
  readonly backend?: BackendChoice;
  /** Only rows holding these values of one categorical column, `rows` of each. */
  readonly condition?: SampleCondition;
  /** Adds ML efficacy to the evaluation: predict this column. */
  readonly target?: string;
  readonly discrete?: readonly string[];
  readonly continuous?: readonly string[];
  /** The table's metadata file (gesalp schema), or its declaration. Under DP, what it declares is public. */
  readonly metadata?: MetadataInput;
  readonly dialect?: DialectRequest;
  /** Train under DP: the most epsilon the attempt spends, preprocessing included. */
  readonly epsilon?: number;
  readonly total_epsilon?: number;
  readonly delta?: number;
  readonly max_grad_norm?: number;
  readonly preprocessing_fraction?: number;
  /** Public rows (same columns, not from the input) that alone judge attempts under DP. */
  readonly public_validation?: TableInput;
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
  /** The methods to choose from (default: the shipped ones). */
  readonly registry?: Registry;
}

export type GenerateApiHooks = ApiHooks &
  Pick<GenerateHooks, 'planned' | 'estimate' | 'training' | 'sampling' | 'attemptDone'>;

export interface GenerateOutput {
  readonly report: GenerationReport;
  readonly synthetic: Table;
  /** The synthetic rows as CSV, what the report's output hash describes. */
  readonly csv: string;
}

export async function generate(
  input: TableInput,
  options: GenerateOptions = {},
  hooks: GenerateApiHooks = {},
): Promise<GenerateOutput> {
  const [{ useBackend }, pipeline, store] = await Promise.all([
    import('../core/backend.js'),
    import('../pipeline/generate.js'),
    import('../pipeline/model-store.js'),
  ]);
  const registry = options.registry ?? REGISTRY;
  const info = (text: string) => hooks.info?.(text);
  const privateRun = options.epsilon !== undefined;
  checkPrivacyOptions(options, privateRun);
  const metadata = declarationOf(options.metadata, 'metadata', privateRun);
  const loaded = await readInputs([input, ...(options.public_validation ? [options.public_validation] : [])], {
    discrete: options.discrete,
    continuous: options.continuous,
    ...(metadata ? { metadata } : {}),
    lenient: privateRun,
    dialect: options.dialect,
    onRead: (file) => file.dialect && info(describeDialect(file.path, file.dialect)),
  });
  const [table, file] = [loaded.tables[0], loaded.files[0]];
  info(
    privateRun
      ? `read ${file.path}: ${file.columns} columns (under DP its row count is private)`
      : `read ${file.path}: ${file.rows.toLocaleString('en-US')} rows x ${file.columns} columns`,
  );
  checkTargetColumns(table, options, privateRun);
  const method = resolveMethod(options.method ?? registry.ids[0], table, privateRun, registry);
  const descriptor = registry.get(method.id);
  if (options.max_grad_norm !== undefined && descriptor.capabilities.dp !== 'dp-sgd')
    throw optionError(
      'usage',
      'max_grad_norm',
      `{max_grad_norm} does not apply to method ${method.id}: it bounds DP-SGD's per-example gradients`,
      'Leave it out, or choose a DP-SGD method.',
    );
  info(`method: ${method.id} (${method.reason})`);
  const overrides = Object.entries(options.params ?? {}).map(([name, value]) => ({
    name,
    value: parseParam(descriptor.space, name, String(value)),
    source: 'params',
  }));
  const backend = await useBackend(options.backend);
  info(`backend: ${backend.name}`);
  const never = new AbortController().signal;
  const epsilon = options.epsilon;
  const result = await pipeline.generate(
    table,
    {
      method,
      registry,
      input: file,
      schema: loaded.schema,
      ...(metadata ? { metadata: metadata.value } : {}),
      ...(options.rows !== undefined ? { rows: options.rows } : {}),
      ...(options.condition ? { condition: options.condition } : {}),
      overrides,
      plan: { kind: 'retry', maxAttempts: options.max_attempts ?? 1 },
      privacy:
        epsilon === undefined
          ? undefined
          : {
              epsilon,
              totalEpsilon: options.total_epsilon ?? epsilon,
              ...(options.delta !== undefined ? { delta: options.delta } : {}),
              maxGradNorm: options.max_grad_norm ?? DEFAULT_MAX_GRAD_NORM,
              preprocessingFraction: options.preprocessing_fraction ?? DEFAULT_PREPROCESSING_FRACTION,
              ...(options.public_validation
                ? { validation: { table: loaded.tables[1], path: loaded.files[1].path } }
                : {}),
            },
      identifiers: { detect: options.id_detection ?? true, keep: options.keep_id ?? [] },
      ...(options.validation_fraction !== undefined ? { validationFraction: options.validation_fraction } : {}),
      holdoutFraction: options.holdout_fraction ?? 0.2,
      thresholds: options.thresholds ?? { ...DEFAULT_THRESHOLDS },
      backend: backend.name,
      seed: options.seed ?? 0,
      threads: options.threads ?? 1,
      earlyStop: options.early_stop ?? true,
      evaluate: options.evaluate ?? true,
      saveTo: options.save_model,
      outputPath: '(returned to the caller)',
      excelSafe: options.excel_safe,
      heatmapColumns: options.heatmap_columns,
      target: options.target,
      stopTraining: never,
      stopAll: hooks.signal ?? never,
    },
    {
      info,
      warn: (text) => hooks.warn?.(text),
      planned: hooks.planned,
      estimate: hooks.estimate,
      // Under DP the loss and the pace read the private rows: the caller gets the epochs alone.
      training:
        hooks.training &&
        ((p) => hooks.training!(privateRun ? { ...p, loss: NaN, losses: undefined, seconds: NaN } : p)),
      sampling: hooks.sampling,
      attemptDone: hooks.attemptDone,
    },
  );
  try {
    if (options.save_model)
      await store.saveTrained(result.model, result.split, options.save_model, result.report.privacy);
  } finally {
    result.model.dispose();
  }
  return { report: result.report, synthetic: result.synthetic, csv: result.csv };
}

/** The budget's options, checked before anything is read (the CLI checks the same with its flags' words). */
function checkPrivacyOptions(options: GenerateOptions, privateRun: boolean): void {
  if (!privateRun) {
    const stray = (
      ['delta', 'max_grad_norm', 'total_epsilon', 'preprocessing_fraction', 'public_validation'] as const
    ).find((name) => options[name] !== undefined);
    if (stray)
      throw optionError(
        'usage',
        stray,
        `{${stray}} applies only to training under DP`,
        'Add {epsilon} to train with DP, or leave it out.',
      );
    return;
  }
  const epsilon = options.epsilon!;
  if (!(epsilon > 0) || epsilon > MAX_EPSILON)
    throw optionError(
      'usage',
      'epsilon',
      `{epsilon} ${epsilon} is outside (0, ${MAX_EPSILON}]: past ${MAX_EPSILON} the noise would be negligible and the run DP in name only`,
      'Give an epsilon of at most 100 (1 to 10 is usual).',
    );
  if ((options.max_attempts ?? 1) > 1 && options.total_epsilon === undefined)
    throw optionError(
      'usage',
      'total_epsilon',
      `${options.max_attempts} DP attempts each spend their own epsilon, and together they add up`,
      `State the most they may spend together with {total_epsilon} (at least ${epsilon}), or run one attempt.`,
    );
  if (options.total_epsilon !== undefined && options.total_epsilon < epsilon)
    throw new GesalpError(
      'budget',
      `total_epsilon ${options.total_epsilon} is below the ${epsilon} one attempt may spend`,
      `Give total_epsilon ${epsilon} or more, or a smaller epsilon.`,
    );
}
