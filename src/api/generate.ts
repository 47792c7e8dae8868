/**
 * generate as a library call: a table in, synthetic rows and the report out, through the same
 * pipeline as `gesalp generate` (split, size defaults, attempts, DP, evaluation). Options are the
 * report's snake_case names; nothing is written unless asked (`save_model`, or `writeTable`).
 */
import { randomInt } from 'node:crypto';
import type { BackendChoice } from '../core/backend-names.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/config.js';
import { describeDialect } from '../core/io/dialect.js';
import { optionError, unknownNameHint } from '../core/errors.js';
import type { Table } from '../core/table.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, resolveMethod, type Registry } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import { parseParam } from '../models/space.js';
import { gridPoints } from '../optimizer/grid.js';
import type { AttemptPlan } from '../pipeline/attempts.js';
import type { GenerateHooks, PrivateEvaluation } from '../pipeline/generate.js';
import { withTimings, type GenerationReport } from '../pipeline/report.js';
import type { ApiHooks } from './hooks.js';
import { readInputs, type TableInput, type TableReading } from './inputs.js';
import { declarationOf } from './metadata.js';
import {
  checkPrivacyOptions,
  planShape,
  privacyRequest,
  wantsPrivacy,
  type PrivacyOptions,
} from './privacy-options.js';
import { checkNumbers, COUNT, FRACTION, OPEN_UNIT, POSITIVE, SEED } from './option-values.js';
import { checkTargetColumns } from './target-columns.js';

export { DEFAULT_MAX_GRAD_NORM, DEFAULT_PREPROCESSING_FRACTION } from './privacy-options.js';

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
  readonly threads?: number;
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
  /** Where the caller will write the rows, for the report. */
  readonly output_path?: string;
  /** The methods to choose from (default: the shipped ones). */
  readonly registry?: Registry;
}

export type GenerateApiHooks = ApiHooks &
  Pick<GenerateHooks, 'planned' | 'estimate' | 'training' | 'sampling' | 'attemptDone'> & {
    /** Aborted: training stops after the current step and the rows are sampled from what was learnt. */
    readonly stopTraining?: AbortSignal;
  };

export interface GenerateOutput {
  readonly report: GenerationReport;
  readonly synthetic: Table;
  /** The synthetic rows as CSV, what the report's output hash describes. */
  readonly csv: string;
  /** Under DP with private_report: the metrics against the private rows, NOT covered by the guarantee. */
  readonly private_evaluation: PrivateEvaluation | null;
}

/** The budget options of a call, as the checks read them. */
const privacyOptionsOf = (options: GenerateOptions): PrivacyOptions => ({
  epsilon: options.epsilon,
  delta: options.delta,
  max_grad_norm: options.max_grad_norm,
  total_epsilon: options.total_epsilon,
  preprocessing_fraction: options.preprocessing_fraction,
  dp_only: { public_validation: options.public_validation },
  private_report: options.private_report,
});

/** The attempt plan: every grid point, or a retry loop of max_attempts. */
export function attemptPlan(options: GenerateOptions, space?: MethodDescriptor['space']): AttemptPlan {
  if (!options.grid || !Object.keys(options.grid).length)
    return { kind: 'retry', maxAttempts: options.max_attempts ?? 1 };
  const axes = Object.entries(options.grid).map(([name, values]) => {
    if (!values.length)
      throw optionError('usage', 'grid', `{grid} lists no values for ${name}`, 'Give each axis one value or more.');
    checkNumbers({ grid: values.find((v) => !Number.isFinite(v)) }, { grid: {} });
    if (name !== 'epsilon' && space && !Object.hasOwn(space, name))
      throw optionError(
        'usage',
        'grid',
        `{grid}: unknown parameter '${name}'`,
        unknownNameHint(name, [...Object.keys(space), 'epsilon']),
      );
    return {
      name,
      values: [...new Set(values.map((v) => (name === 'epsilon' || !space ? v : parseParam(space, name, String(v)))))],
    };
  });
  return { kind: 'grid', points: gridPoints(axes) };
}

/** The parameters given, each checked against the method's space, with where it came from. */
function overridesOf(options: GenerateOptions, method: MethodDescriptor): ResolvedParam[] {
  return Object.entries(options.params ?? {}).map(([name, setting]) => {
    const { value, source } = typeof setting === 'number' ? { value: setting, source: 'params' } : setting;
    if (!Object.hasOwn(method.space, name))
      throw optionError(
        'usage',
        'params',
        `${source === 'params' ? `parameter ${name}` : source} does not apply to method ${method.id}: it has no parameter ${name}`,
        unknownNameHint(name, Object.keys(method.space)),
      );
    return { name, value: parseParam(method.space, name, String(value)), source };
  });
}

export async function generate(
  input: TableInput,
  options: GenerateOptions = {},
  hooks: GenerateApiHooks = {},
): Promise<GenerateOutput> {
  const started = performance.now();
  const registry = options.registry ?? REGISTRY;
  const info = (text: string) => hooks.info?.(text);
  checkNumbers(options as Readonly<Record<string, unknown>>, {
    epsilon: POSITIVE,
    total_epsilon: POSITIVE,
    delta: OPEN_UNIT,
    max_grad_norm: POSITIVE,
    preprocessing_fraction: OPEN_UNIT,
    rows: COUNT,
    max_attempts: COUNT,
    holdout_fraction: FRACTION,
    validation_fraction: FRACTION,
    seed: SEED,
    threads: COUNT,
    heatmap_columns: COUNT,
  });
  checkCombinations(options);
  const privacy = privacyOptionsOf(options);
  // Checked before anything is read: for a named method against its space, for auto once the table chose.
  const named = options.method !== 'auto' ? registry.get(options.method ?? registry.ids[0]) : undefined;
  const shapeOf = (plan: AttemptPlan) =>
    planShape(plan, Boolean(options.load_model), Boolean(options.public_validation));
  checkPrivacyOptions(privacy, shapeOf(attemptPlan(options, named?.space)));
  const privateRun = wantsPrivacy(privacy, shapeOf(attemptPlan(options)));
  // Loaded once the options hold (TensorFlow.js is paid for by calls that run), one after another:
  // parallel dynamic imports race in Jest's ESM loader, where library users run their tests.
  const { useBackend } = await import('../core/backend.js');
  const pipeline = await import('../pipeline/generate.js');
  const store = await import('../pipeline/model-store.js');
  const loaded = options.load_model ? await store.loadTrained(options.load_model, registry) : undefined;
  try {
    // Rows sampled from a DP model stay DP releases: its input is read as under DP (SPEC section 8).
    const privateInput = privateRun || Boolean(loaded?.privacy);
    const metadata = declarationOf(options.metadata, 'metadata', privateRun, options);
    const read = await readInputs([input, ...(options.public_validation ? [options.public_validation] : [])], {
      discrete: options.discrete,
      continuous: options.continuous,
      ...(metadata ? { metadata } : {}),
      lenient: privateInput,
      dialect: options.dialect,
      onRead: (file) => file.dialect && info(describeDialect(file.path, file.dialect)),
    });
    const [table, file] = [read.tables[0], read.files[0]];
    const readSeconds = (performance.now() - started) / 1000;
    // Under DP the row count is private: the pipeline releases a noisy one.
    info(
      privateInput
        ? `read ${file.path}: ${file.columns} columns (under DP its row count is private)`
        : `read ${file.path}: ${file.rows.toLocaleString('en-US')} rows x ${file.columns} columns`,
    );
    checkTargetColumns(table, { target: options.target }, privateInput);
    const method = resolveMethod(options.method ?? registry.ids[0], table, privateInput, registry);
    const descriptor = registry.get(method.id);
    if (options.max_grad_norm !== undefined && descriptor.capabilities.dp !== 'dp-sgd')
      throw optionError(
        'usage',
        'max_grad_norm',
        `{max_grad_norm} does not apply to method ${method.id}: it bounds DP-SGD's per-example gradients, and ${method.id} trains no gradients`,
        `Drop {max_grad_norm}, or choose a DP-SGD method ({method} ${registry.methods
          .filter((m) => m.capabilities.dp === 'dp-sgd')
          .map((m) => m.id)
          .join(', ')}).`,
        ['method'],
      );
    const plan = attemptPlan(options, descriptor.space);
    const shape = shapeOf(plan);
    checkPrivacyOptions(privacy, shape);
    info(`method: ${method.id} (${method.reason})`);
    const overrides = loaded ? [] : overridesOf(options, descriptor);
    const backend = await useBackend(options.backend);
    info(`backend: ${backend.name}`);
    const never = new AbortController().signal;
    const result = await pipeline.generate(
      table,
      {
        method,
        registry,
        input: file,
        schema: read.schema,
        ...(metadata ? { metadata: metadata.value } : {}),
        ...(options.rows !== undefined ? { rows: options.rows } : {}),
        ...(options.condition ? { condition: options.condition } : {}),
        overrides,
        plan,
        privacy: privateRun
          ? privacyRequest(
              privacy,
              shape,
              options.public_validation ? { table: read.tables[1], path: read.files[1].path } : undefined,
            )
          : undefined,
        // Under DP the split's key is random unless a seed was given (SPEC section 8).
        ...(privateRun && options.seed === undefined ? { splitKey: randomInt(2 ** 31) } : {}),
        privateReport: options.private_report ?? false,
        identifiers: { detect: options.id_detection ?? true, keep: options.keep_id ?? [] },
        ...(options.validation_fraction !== undefined ? { validationFraction: options.validation_fraction } : {}),
        holdoutFraction: options.holdout_fraction ?? 0.2,
        thresholds: options.thresholds ?? { ...DEFAULT_THRESHOLDS },
        ...(options.config_files ? { configFiles: options.config_files } : {}),
        backend: backend.name,
        seed: options.seed ?? 0,
        threads: options.threads ?? 1,
        earlyStop: options.early_stop ?? true,
        evaluate: options.evaluate ?? true,
        loaded: loaded && options.load_model ? { ...loaded, dir: options.load_model } : undefined,
        saveTo: options.save_model,
        outputPath: options.output_path ?? '(returned to the caller)',
        excelSafe: options.excel_safe,
        heatmapColumns: options.heatmap_columns,
        target: options.target,
        stopTraining: hooks.stopTraining ?? never,
        stopAll: hooks.signal ?? never,
      },
      {
        info,
        warn: (text) => hooks.warn?.(text),
        planned: hooks.planned,
        // Under DP the loss, the pace and the time read the private rows: the caller gets the epochs alone.
        estimate: privateRun ? undefined : hooks.estimate,
        training:
          hooks.training &&
          ((p) => hooks.training!(privateRun ? { ...p, loss: NaN, losses: undefined, seconds: NaN } : p)),
        sampling: hooks.sampling,
        attemptDone: hooks.attemptDone,
      },
    );
    try {
      if (options.save_model) {
        await store.saveTrained(result.model, result.split, options.save_model, result.report.privacy);
        info(`model saved to ${options.save_model}`);
      }
    } finally {
      // The loaded model is freed below, once.
      if (result.model !== loaded?.model) result.model.dispose();
    }
    return {
      // Under DP the times grow with the private row count: the report keeps none.
      report: result.report.privacy ? result.report : withTimings(result.report, { read: readSeconds }),
      synthetic: result.synthetic,
      csv: result.csv,
      private_evaluation: result.privateEvaluation,
    };
  } finally {
    loaded?.model.dispose();
  }
}

/** Options that cannot go together, refused as the CLI refuses their flags. */
function checkCombinations(options: GenerateOptions): void {
  const refuse = (option: string, message: string, hint: string, mentions: string[] = []) => {
    throw optionError('usage', option, message, hint, mentions);
  };
  if (options.load_model && options.save_model)
    refuse(
      'save_model',
      '{load_model} samples from a saved model; {save_model} would only copy it',
      'Drop {save_model}.',
      ['load_model'],
    );
  if (options.load_model && ((options.max_attempts ?? 1) > 1 || options.grid))
    refuse(
      'load_model',
      'a loaded model is sampled once: {max_attempts} and {grid} train new ones',
      'Drop them, or drop {load_model}.',
      ['max_attempts', 'grid'],
    );
  if (options.load_model && options.params && Object.keys(options.params).length)
    refuse('params', 'training parameters have no effect with {load_model}', 'Drop {params}, or train a new model.', [
      'load_model',
    ]);
  if (options.evaluate === false && !options.load_model)
    refuse(
      'evaluate',
      '{evaluate} false applies to sampling a saved model: a new model is judged to choose its epochs',
      'Give {load_model}, or leave {evaluate} out.',
      ['load_model'],
    );
  if (options.validation_fraction && options.epsilon !== undefined)
    refuse(
      'validation_fraction',
      '{validation_fraction} applies outside DP: under DP only public rows may judge',
      'Drop it, or give {public_validation}.',
      ['public_validation'],
    );
  if ((options.holdout_fraction ?? 0.2) + (options.validation_fraction ?? 0) >= 1)
    refuse(
      'validation_fraction',
      '{holdout_fraction} and {validation_fraction} leave no rows to train on',
      'Give fractions that add up to less than 1.',
      ['holdout_fraction'],
    );
  if (options.grid) {
    const both = Object.keys(options.grid).find((name) => options.params && Object.hasOwn(options.params, name));
    if (both) refuse('grid', `${both} is set in both {params} and {grid}`, 'Give it in one of them.', ['params']);
  }
}
