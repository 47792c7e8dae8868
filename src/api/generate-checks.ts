/**
 * generate's options checked and turned into the pipeline's parts: numbers in range, combinations
 * that cannot go together, the budget (before anything is read, and again once the method is
 * known), the attempt plan and the parameter overrides. Errors name options as `{name}`.
 */
import { optionError, unknownNameHint } from '../core/errors.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { parseParam } from '../models/space.js';
import { gridPoints } from '../optimizer/grid.js';
import { OBJECTIVES } from '../optimizer/pareto.js';
import { MAX_MEMBERS } from '../pipeline/ensemble.js';
import type { AttemptPlan } from '../pipeline/attempt-plan.js';
import type { GenerateOptions } from './generate-options.js';
import { checkNumbers, COUNT, FRACTION, OPEN_UNIT, POSITIVE, SEED } from './option-values.js';
import {
  checkPrivacyOptions,
  planShape,
  wantsPrivacy,
  type PlanShape,
  type PrivacyOptions,
} from './privacy-options.js';

/** Everything checked before the input is read: numbers, combinations, and the budget against the plan's shape. */
export function checkBeforeReading(
  options: GenerateOptions,
  registry: Registry,
): { privacy: PrivacyOptions; privateRun: boolean } {
  // 'auto' is the one threads value that is not a count.
  const numbers = { ...options, threads: options.threads === 'auto' ? undefined : options.threads };
  checkNumbers(numbers, {
    epsilon: POSITIVE,
    total_epsilon: POSITIVE,
    delta: OPEN_UNIT,
    max_grad_norm: POSITIVE,
    preprocessing_fraction: OPEN_UNIT,
    rows: COUNT,
    max_attempts: COUNT,
    time_budget: POSITIVE,
    ensemble: COUNT,
    parallel_attempts: COUNT,
    holdout_fraction: FRACTION,
    validation_fraction: FRACTION,
    seed: SEED,
    threads: COUNT,
    heatmap_columns: COUNT,
  });
  checkCombinations(options);
  const privacy = privacyOptionsOf(options);
  // A named method's grid against its space now; auto's once the table chose the method.
  const named = options.method !== 'auto' ? registry.get(options.method ?? registry.ids[0]) : undefined;
  // Whether the run is private reads only epsilon and the grid's epsilon axis, which no space changes.
  const shape = planShapeOf(options, attemptPlan(options, named?.space));
  checkPrivacyOptions(privacy, shape);
  const privateRun = wantsPrivacy(privacy, shape);
  // How far a run gets in a time budget grows with the private row count: the attempts made would leak it.
  if (privateRun && options.time_budget !== undefined)
    throw optionError(
      'usage',
      'time_budget',
      '{time_budget} under DP: how many attempts and epochs fit in it depends on the private row count, which the report would then reveal',
      'Bound a DP search by {max_attempts} (each attempt is charged its epsilon), or drop {epsilon}.',
      ['epsilon', 'max_attempts'],
    );
  if (privateRun && (options.prefer?.time ?? 0) > 0)
    throw optionError(
      'usage',
      'prefer',
      '{prefer} time under DP: attempt times grow with the private row count, so they are not released and cannot choose',
      'Prefer utility or privacy under DP.',
      ['epsilon'],
    );
  return { privacy, privateRun };
}

export const planShapeOf = (options: GenerateOptions, plan: AttemptPlan): PlanShape =>
  planShape(plan, Boolean(options.load_model), Boolean(options.public_validation));

/** Options that need the method: only DP-SGD clips gradients, so a bound for another method is refused. */
export function checkMethodOptions(options: GenerateOptions, method: MethodDescriptor, registry: Registry): void {
  if (options.max_grad_norm !== undefined && method.capabilities.dp !== 'dp-sgd')
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
}

/** The budget options of a call, as the checks read them. */
export const privacyOptionsOf = (options: GenerateOptions): PrivacyOptions => ({
  epsilon: options.epsilon,
  delta: options.delta,
  max_grad_norm: options.max_grad_norm,
  total_epsilon: options.total_epsilon,
  preprocessing_fraction: options.preprocessing_fraction,
  dp_only: { public_validation: options.public_validation },
  private_report: options.private_report,
});

/** Attempts of a search with neither a count nor a time budget given; with a time budget, the budget ends it first. */
export const SEARCH_ATTEMPTS = 10;
const SEARCH_ATTEMPTS_IN_BUDGET = 100;

/**
 * The attempt plan: every grid point, the Bayesian search over `methods` (the resolved method
 * first; default: only it), or a retry loop of max_attempts.
 */
export function attemptPlan(
  options: GenerateOptions,
  space?: MethodDescriptor['space'],
  methods: readonly string[] = [],
): AttemptPlan {
  if (options.search === 'bayes')
    return {
      kind: 'bayes',
      maxAttempts:
        options.max_attempts ?? (options.time_budget !== undefined ? SEARCH_ATTEMPTS_IN_BUDGET : SEARCH_ATTEMPTS),
      methods,
    };
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
export function overridesOf(options: GenerateOptions, method: MethodDescriptor): ResolvedParam[] {
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

/** Options that cannot go together, refused as the CLI refuses their flags. */
export function checkCombinations(options: GenerateOptions): void {
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
  if (options.search !== undefined && options.search !== 'rules' && options.search !== 'bayes')
    refuse('search', `{search} '${String(options.search)}' is not a search`, 'Give {search} rules or {search} bayes.');
  if (options.search === 'bayes' && options.grid)
    refuse('search', '{search} bayes and {grid} each choose the attempts', 'Drop one of them.', ['grid']);
  if (options.load_model && (options.search === 'bayes' || options.time_budget !== undefined))
    refuse(
      'load_model',
      'a loaded model is sampled once: {search} and {time_budget} bound training',
      'Drop them, or drop {load_model}.',
      ['search', 'time_budget'],
    );
  if (options.prefer) checkPreference(options.prefer);
  // Whether the plan makes a single attempt (a grid is taken to make several).
  const one =
    (options.search === 'bayes'
      ? (options.max_attempts ?? SEARCH_ATTEMPTS)
      : options.grid
        ? 2
        : (options.max_attempts ?? 1)) < 2;
  if (options.ensemble !== undefined && (options.ensemble < 2 || options.ensemble > MAX_MEMBERS))
    refuse(
      'ensemble',
      `{ensemble} ${options.ensemble}: a mixture takes 2 to ${MAX_MEMBERS} attempts`,
      `Give {ensemble} 2 or 3.`,
    );
  if (options.ensemble !== undefined && one)
    refuse(
      'ensemble',
      '{ensemble} mixes several attempts; this run makes one',
      'Add {max_attempts} 8, {search} bayes or {grid}, or drop {ensemble}.',
      ['max_attempts', 'search', 'grid'],
    );
  if (options.ensemble !== undefined && options.prefer)
    refuse(
      'ensemble',
      '{ensemble} mixes the best attempts by quality; {prefer} keeps one for another objective',
      'Use one of them.',
      ['prefer'],
    );
  if (options.ensemble !== undefined && options.condition && options.condition.values.length > 1)
    refuse(
      'ensemble',
      '{ensemble} with several {condition} values would mix the rows of one value only',
      'Give one {condition} value per run, or drop {ensemble}.',
      ['condition'],
    );
  if (options.previous?.length && (options.grid || options.load_model))
    refuse(
      'previous',
      `{previous} warm-starts a search; ${options.grid ? '{grid} tries fixed points' : '{load_model} trains nothing'}`,
      'Drop {previous}, or search with {search} bayes or {max_attempts}.',
      ['grid', 'load_model'],
    );
  if (options.ensemble !== undefined && options.save_model)
    refuse(
      'save_model',
      "{ensemble}'s rows may come from several models, and one folder holds one",
      'Drop {save_model}, or drop {ensemble} and save the kept attempt.',
      ['ensemble'],
    );
  if (options.prefer && one)
    refuse(
      'prefer',
      '{prefer} chooses among several attempts; this run makes one',
      'Add {max_attempts} 8, {search} bayes or {grid}, or drop {prefer}.',
      ['max_attempts', 'search', 'grid'],
    );
  if (options.load_model && ((options.max_attempts ?? 1) > 1 || options.grid))
    refuse(
      'load_model',
      'a loaded model is sampled once: {max_attempts} and {grid} train new ones',
      'Drop them, or drop {load_model}.',
      ['max_attempts', 'grid'],
    );
  const sampling = new Set((options.registry ?? REGISTRY).methods.flatMap((m) => m.samplingParams ?? []));
  const training = Object.keys(options.params ?? {}).filter((name) => !sampling.has(name));
  if (options.load_model && training.length)
    refuse(
      'params',
      `training parameters have no effect with {load_model} (${training.join(', ')})`,
      `Drop them, or train a new model; a saved model takes only ${[...sampling].join(', ') || 'none'}.`,
      ['load_model'],
    );
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

/** Weights of known objectives, finite and not negative, one of them above 0. */
function checkPreference(prefer: Readonly<Record<string, unknown>>): void {
  const entries = Object.entries(prefer);
  for (const [name, weight] of entries) {
    if (!(OBJECTIVES as readonly string[]).includes(name))
      throw optionError('usage', 'prefer', `{prefer}: unknown objective '${name}'`, unknownNameHint(name, OBJECTIVES));
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)
      throw optionError(
        'usage',
        'prefer',
        `{prefer} ${name}: ${String(weight)} is not a weight`,
        'Give each objective a number of 0 or more.',
      );
  }
  if (!entries.some(([, w]) => (w as number) > 0))
    throw optionError(
      'usage',
      'prefer',
      '{prefer} gives no objective a weight above 0',
      `Name one of ${OBJECTIVES.join(', ')}, or weigh them (utility=2,time=1).`,
    );
}

/** A loaded model sampling with the sampling-only parameters given (each checked against its method's space). */
export function loadedWithSampling(
  model: Synthesizer,
  options: GenerateOptions,
  registry: Registry,
): { model: Synthesizer; overrides: ResolvedParam[] } {
  const given = Object.entries(options.params ?? {});
  if (!given.length) return { model, overrides: [] };
  const method = registry.get(model.method);
  const overrides = overridesOf(options, method);
  const other = overrides.filter((o) => !(method.samplingParams ?? []).includes(o.name)).map((o) => o.name);
  if (other.length || !model.withSampling)
    throw optionError(
      'usage',
      'params',
      `a saved ${method.id} model cannot take ${other.length ? other.join(', ') : 'sampling parameters'}: they change training`,
      `Drop them, or train a new model${method.samplingParams?.length ? `; it takes ${method.samplingParams.join(', ')}` : ''}.`,
      ['load_model'],
    );
  return { model: model.withSampling(Object.fromEntries(overrides.map((o) => [o.name, o.value]))), overrides };
}
