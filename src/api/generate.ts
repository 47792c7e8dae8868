/**
 * generate as a library call: a table in, synthetic rows and the report out, through the same
 * pipeline as `gesalp generate` (split, size defaults, attempts, DP, evaluation). Options are the
 * report's snake_case names; nothing is written unless asked (`save_model`, `out`, or `writeTable`).
 * Past CHUNK_ROWS rows the rows are written a chunk at a time to `out` (or the `rows` hook) in
 * constant memory, and the result holds the first chunk alone (the rows the metrics judged).
 */
import { randomInt } from 'node:crypto';
import { DEFAULT_THRESHOLDS } from '../metrics/thresholds.js';
import { lazyAtomicFile } from '../core/io/atomic-write.js';
import { describeDialect } from '../core/io/dialect.js';
import type { BackendChoice, BackendInfo } from '../core/backend.js';
import type { Table } from '../core/table.js';
import { usefulThreads } from '../models/nn/train/useful-threads.js';
import { REGISTRY, resolveMethod, type Registry } from '../models/registry.js';
import type { GenerateHooks, GenerateRequest } from '../pipeline/generate-request.js';
import { DEFAULT_PARALLEL_ATTEMPTS, type AttemptPlan } from '../pipeline/attempt-plan.js';
import type { PrivateEvaluation } from '../pipeline/private-evaluation.js';
import { withTimings, type GenerationReport } from '../pipeline/report.js';
import {
  attemptPlan,
  checkBeforeReading,
  checkMethodOptions,
  loadedWithSampling,
  overridesOf,
  planShapeOf,
} from './generate-checks.js';
import type { ApiHooks } from './hooks.js';
import type { GenerateOptions } from './generate-options.js';
import {
  checkArchitecture,
  checkInitFromCombinations,
  initFromHoldoutFraction,
  initFromOf,
  withSavedKinds,
} from './init-from.js';
import { readInputs, type TableInput } from './inputs.js';
import { declarationOf, type Declaration } from './metadata.js';
import { checkPrivacyOptions, privacyRequest, type PrivacyOptions } from './privacy-options.js';
import { previousStart, searchMethods, searchSettings } from './search-options.js';
import { checkTargetColumns } from './target-columns.js';

export { attemptPlan } from './generate-checks.js';
export type { GenerateOptions, ParamSetting } from './generate-options.js';

export type GenerateApiHooks = ApiHooks &
  Pick<GenerateHooks, 'planned' | 'estimate' | 'training' | 'sampling' | 'attemptDone' | 'checkpoint'> & {
    /** Aborted: training stops after the current step and the rows are sampled from what was learnt. */
    readonly stopTraining?: AbortSignal;
    /**
     * Past CHUNK_ROWS rows without `out`: the rows as CSV text, the header first, then chunk after
     * chunk as each is sampled (awaited before the next); fewer rows come back whole in `csv`.
     */
    readonly rows?: (text: string) => void | Promise<void>;
  };

export interface GenerateOutput {
  readonly report: GenerationReport;
  /** The synthetic rows; when `streamed`, the first chunk alone: the rows the metrics judged. */
  readonly synthetic: Table;
  /** The synthetic rows as CSV, what the report's output hash describes ('' when `streamed`). */
  readonly csv: string;
  /**
   * True when the rows were more than CHUNK_ROWS and went to `out` (or the `rows` hook) a chunk at
   * a time: the report's output says how many, their hash, and how many the metrics judged.
   */
  readonly streamed: boolean;
  /** Under DP with private_report: the metrics against the private rows, NOT covered by the guarantee. */
  readonly private_evaluation: PrivateEvaluation | null;
}

export async function generate(
  input: TableInput,
  options: GenerateOptions = {},
  hooks: GenerateApiHooks = {},
): Promise<GenerateOutput> {
  const started = performance.now();
  const registry = options.registry ?? REGISTRY;
  const info = (text: string) => hooks.info?.(text);
  const { privacy, privateRun } = checkBeforeReading(options, registry);
  checkInitFromCombinations(options);
  // Loaded once the options hold (TensorFlow.js is paid for by calls that run), one after another:
  // parallel dynamic imports race in Jest's ESM loader, where library users run their tests.
  const { useBackend } = await import('../core/backend.js');
  const pipeline = await import('../pipeline/generate.js');
  const store = await import('../pipeline/model-store.js');
  const saved = options.load_model ? await store.loadTrained(options.load_model, registry) : undefined;
  const fineTune =
    options.init_from !== undefined
      ? await initFromOf(options, registry, privateRun, { info, warn: (text) => hooks.warn?.(text) })
      : undefined;
  // Fine-tuning keeps the saved model's split: its fraction, or a smaller one (init-from.ts).
  const holdoutFraction = fineTune
    ? initFromHoldoutFraction(options, fineTune.init)
    : (options.holdout_fraction ?? 0.2);
  // A saved model samples with the sampling-only parameters given (TabDDPM's sample_steps).
  const sampling = saved ? loadedWithSampling(saved.model, options, registry) : undefined;
  const loaded = saved && sampling ? { ...saved, model: sampling.model } : undefined;
  // The rows' file, created at its first write: renamed into place once every row is in, removed on failure.
  const out = options.out ? lazyAtomicFile(options.out) : undefined;
  const rowsSink = out ?? (hooks.rows ? { write: hooks.rows } : undefined);
  try {
    const setup: RunSetup = {
      started,
      registry,
      privacy,
      privateRun,
      fineTune,
      holdoutFraction,
      sampling,
      loaded: loaded && options.load_model ? { ...loaded, dir: options.load_model } : undefined,
      rowsSink,
      useBackend,
    };
    // Chained, not awaited into locals: a suspended async function keeps its locals alive, and the
    // rows read are freed once the pipeline has split them.
    const { result, readSeconds } = await pipelineRun(input, options, hooks, setup).then(
      ({ table, request, readSeconds }) =>
        pipeline.generate(table, request, pipelineHooks(hooks, privateRun)).then((result) => ({ result, readSeconds })),
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
    const streamed = result.output.chunkRows !== null;
    const writeStart = performance.now();
    if (out) {
      if (!streamed) await out.write(result.csv);
      await out.commit();
    }
    const timings = {
      read: readSeconds,
      ...(out && !streamed ? { write: (performance.now() - writeStart) / 1000 } : {}),
    };
    return {
      // Under DP the times grow with the private row count: the report keeps none.
      report: result.report.privacy ? result.report : withTimings(result.report, timings),
      synthetic: result.synthetic,
      csv: result.csv,
      streamed,
      private_evaluation: result.privateEvaluation,
    };
  } finally {
    // Not committed: the rows written so far go with their temporary file (nothing at `out` changes).
    await out?.abort();
    loaded?.model.dispose();
    saved?.model.dispose();
  }
}

/** What generate settled before reading the input. */
interface RunSetup {
  readonly started: number;
  readonly registry: Registry;
  readonly privacy: PrivacyOptions;
  readonly privateRun: boolean;
  readonly fineTune: Awaited<ReturnType<typeof initFromOf>> | undefined;
  readonly holdoutFraction: number;
  readonly sampling: ReturnType<typeof loadedWithSampling> | undefined;
  readonly loaded: GenerateRequest['loaded'];
  readonly rowsSink: GenerateRequest['rowsSink'];
  readonly useBackend: (choice?: BackendChoice) => Promise<BackendInfo>;
}

/** The input read, the method and backend chosen, and the pipeline's request for them. */
async function pipelineRun(
  input: TableInput,
  options: GenerateOptions,
  hooks: GenerateApiHooks,
  setup: RunSetup,
): Promise<{ table: Table; request: GenerateRequest; readSeconds: number }> {
  const { registry, privacy, privateRun, fineTune, sampling, loaded } = setup;
  const info = (text: string) => hooks.info?.(text);
  // Rows sampled from a DP model stay DP releases: its input is read as under DP (SPEC section 8).
  const privateInput = privateRun || Boolean(loaded?.privacy);
  const declared = declarationOf(options.metadata, 'metadata', privateRun, options);
  // Fine-tuning: the rows take the saved model's kinds (under DP declared, so none is released again).
  const { read, metadata } = await readInput(input, options, declared, privateInput, info).then((first) =>
    fineTune ? withSavedKinds(first, declared, fineTune.init, privateRun) : { read: first, metadata: declared },
  );
  const readSeconds = (performance.now() - setup.started) / 1000;
  const method =
    fineTune?.method ?? resolveMethod(options.method ?? registry.ids[0], read.tables[0], privateInput, registry);
  const descriptor = registry.get(method.id);
  checkMethodOptions(options, descriptor, registry);
  const plan = attemptPlan(options, descriptor.space, searchMethods(options, method.id, registry, privateInput));
  const shape = planShapeOf(options, plan);
  checkPrivacyOptions(privacy, shape);
  info(`method: ${method.id} (${method.reason})`);
  const backend = await setup.useBackend(options.backend);
  info(`backend: ${backend.name}`);
  const never = new AbortController().signal;
  const given = sampling ? sampling.overrides : overridesOf(options, descriptor);
  if (fineTune) checkArchitecture(fineTune.init, given, plan);
  const overrides = [...given, ...previousStart(options, plan, descriptor, given, privateInput, read.tables[0])];
  const request: GenerateRequest = {
    method,
    registry,
    input: read.files[0],
    schema: read.schema,
    ...(metadata ? { metadata: metadata.value } : {}),
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.condition ? { condition: options.condition } : {}),
    overrides,
    plan,
    search: searchSettings(options, plan, descriptor, overrides, {
      shape: { rows: privateInput ? null : read.tables[0].rowCount, columns: read.tables[0].columns.length },
      privateRun,
    }),
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
    holdoutFraction: setup.holdoutFraction,
    thresholds: options.thresholds ?? { ...DEFAULT_THRESHOLDS },
    ...(options.config_files ? { configFiles: options.config_files } : {}),
    backend: backend.name,
    seed: options.seed ?? 0,
    ...threadSettings(options, plan),
    earlyStop: options.early_stop ?? true,
    evaluate: options.evaluate ?? true,
    loaded,
    ...(fineTune ? { initFrom: fineTune.init } : {}),
    saveTo: options.save_model,
    outputPath: options.output_path ?? options.out ?? '(returned to the caller)',
    ...(setup.rowsSink ? { rowsSink: setup.rowsSink } : {}),
    excelSafe: options.excel_safe,
    heatmapColumns: options.heatmap_columns,
    target: options.target,
    stopTraining: hooks.stopTraining ?? never,
    stopAll: hooks.signal ?? never,
  };
  return { table: read.tables[0], request, readSeconds };
}

/** The input (and public validation rows), read as the CLI reads them; under DP without its row count. */
async function readInput(
  input: TableInput,
  options: GenerateOptions,
  metadata: Declaration | undefined,
  privateInput: boolean,
  info: (text: string) => void,
) {
  const read = await readInputs([input, ...(options.public_validation ? [options.public_validation] : [])], {
    discrete: options.discrete,
    continuous: options.continuous,
    ...(metadata ? { metadata } : {}),
    lenient: privateInput,
    dialect: options.dialect,
    onRead: (file) => file.dialect && info(describeDialect(file.path, file.dialect)),
  });
  const file = read.files[0];
  // Under DP the row count is private: the pipeline releases a noisy one.
  info(
    privateInput
      ? `read ${file.path}: ${file.columns} columns (under DP its row count is private)`
      : `read ${file.path}: ${file.rows.toLocaleString('en-US')} rows x ${file.columns} columns`,
  );
  checkTargetColumns(read.tables[0], { target: options.target }, privateInput);
  return read;
}

/** The caller's hooks; under DP the loss, the pace and the time read the private rows: the epochs alone go out. */
function pipelineHooks(hooks: GenerateApiHooks, privateRun: boolean): GenerateHooks {
  return {
    info: (text) => hooks.info?.(text),
    warn: (text) => hooks.warn?.(text),
    planned: hooks.planned,
    estimate: privateRun ? undefined : hooks.estimate,
    training:
      hooks.training && ((p) => hooks.training!(privateRun ? { ...p, loss: NaN, losses: undefined, seconds: NaN } : p)),
    sampling: hooks.sampling,
    attemptDone: hooks.attemptDone,
    checkpoint: hooks.checkpoint,
  };
}

/**
 * threads as the pipeline takes them: a count, or with 'auto' the most each attempt may use (the
 * cores, at most 4, shared among the attempts that run side by side) and a timed choice below it.
 */
function threadSettings(options: GenerateOptions, plan: AttemptPlan): { threads: number; chooseThreads?: boolean } {
  if (options.threads !== 'auto') return { threads: options.threads ?? 1 };
  const sideBySide = plan.kind === 'retry' ? 1 : (options.parallel_attempts ?? DEFAULT_PARALLEL_ATTEMPTS);
  return { threads: Math.max(1, Math.floor(usefulThreads() / sideBySide)), chooseThreads: true };
}
