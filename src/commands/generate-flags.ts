/**
 * generate's flags as typed values: the parameter overrides and the attempt plan for the early
 * checks (against a named method's space, before anything is read), and the library's options.
 */
import { usageError } from '../core/errors.js';
import { parseNameValues } from '../core/name-value.js';
import { parseFiniteNumber } from '../core/schema/values.js';
import type { GenerateOptions as ApiGenerateOptions, ParamSetting } from '../api/generate.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import { REGISTRY } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import { parseParam, parseParamItems, type Space } from '../models/space.js';
import { gridPoints, parseGrid } from '../optimizer/grid.js';
import type { AttemptPlan } from '../pipeline/attempt-plan.js';
import { attemptPlan as libraryPlan } from '../api/generate-checks.js';
import { OBJECTIVES, type Preference } from '../optimizer/pareto.js';
import { DEDICATED, OPTIMIZE_ATTEMPTS, type Dedicated, type GenerateOptions } from './generate-options.js';

/** The parameters set by flags, each with the flag that set it; dedicated flags win over --param. */
function overrides(space: Space, options: GenerateOptions, method: string): ResolvedParam[] {
  const chosen = new Map<string, ResolvedParam>();
  for (const [name, value] of parseParamItems(options.param ?? [], space, '--param')) {
    chosen.set(name, { name, value, source: '--param' });
  }
  const flags: Record<Dedicated, string | undefined> = {
    n_iter: options.nIter,
    batch_size: options.batchSize,
    lr: options.lr,
  };
  for (const [name, text] of Object.entries(flags) as [Dedicated, string | undefined][]) {
    if (text === undefined) continue;
    // A method that does not train by epochs (aim) has no such parameter: say so by the method's name.
    if (!(name in space))
      throw usageError(
        `${DEDICATED[name]} does not apply to method ${method}: it has no parameter ${name}`,
        `Drop ${DEDICATED[name]}; its parameters are ${Object.keys(space).join(', ')} (--param name=value).`,
      );
    chosen.set(name, { name, value: parseParam(space, name, text), source: DEDICATED[name] });
  }
  return [...chosen.values()];
}

function attemptPlan(options: GenerateOptions, space: Space): AttemptPlan {
  if (options.search === 'bayes') return libraryPlan(apiOptions(options, true), space);
  if (options.grid?.length) {
    const axes = parseGrid(options.grid, space, { epsilon: null });
    return { kind: 'grid', points: gridPoints(axes) };
  }
  return { kind: 'retry', maxAttempts: options.maxAttempts ?? (options.optimize ? OPTIMIZE_ATTEMPTS : 1) };
}

/** The library's options from the flags (the command adds the metadata, thresholds, threads and paths). */
export function apiOptions(options: GenerateOptions, seedGiven: boolean): ApiGenerateOptions {
  return {
    method: options.method,
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    params: flagParams(options),
    // Left out when not given: the plan's default depends on it (a search makes several attempts).
    ...(options.maxAttempts !== undefined || options.optimize
      ? { max_attempts: options.maxAttempts ?? OPTIMIZE_ATTEMPTS }
      : {}),
    ...(options.grid?.length ? { grid: flagGrid(options.grid) } : {}),
    ...(options.search ? { search: options.search } : {}),
    ...(options.timeBudget !== undefined ? { time_budget: options.timeBudget } : {}),
    ...(options.prefer !== undefined ? { prefer: parsePreference(options.prefer) } : {}),
    ...(options.ensemble !== undefined ? { ensemble: options.ensemble } : {}),
    ...(options.parallelAttempts !== undefined ? { parallel_attempts: options.parallelAttempts } : {}),
    early_stop: options.earlyStop,
    holdout_fraction: options.holdoutFraction,
    ...(options.validationFraction !== undefined ? { validation_fraction: options.validationFraction } : {}),
    // Left out when not given: under DP the split's key is then random (SPEC section 8).
    ...(seedGiven ? { seed: options.seed } : {}),
    backend: options.backend,
    ...(options.condition?.length ? { condition: parseCondition(options.condition) } : {}),
    target: options.target,
    discrete: options.discrete,
    continuous: options.continuous,
    epsilon: options.epsilon,
    total_epsilon: options.totalEpsilon,
    delta: options.delta,
    max_grad_norm: options.maxGradNorm,
    preprocessing_fraction: options.preprocessingFraction,
    public_validation: options.publicValidation,
    keep_id: options.keepId ?? [],
    id_detection: options.idDetection,
    evaluate: options.eval,
    excel_safe: options.excelSafe,
    heatmap_columns: options.heatmapColumns,
    save_model: options.saveModel,
    load_model: options.loadModel,
    ...(options.initFrom !== undefined ? { init_from: options.initFrom } : {}),
  };
}

/** --param items and the dedicated flags as values with the flag that set each; the method's space checks them. */
function flagParams(options: GenerateOptions): Record<string, ParamSetting> {
  const names = [...new Set(REGISTRY.methods.flatMap((m) => Object.keys(m.space)))];
  const number = (flag: string, name: string, text: string) => {
    const value = parseFiniteNumber(text.trim());
    if (value === undefined)
      throw usageError(`${flag} ${name}: '${text}' is not a number`, `Give a number for ${name}.`);
    return value;
  };
  const chosen: Record<string, ParamSetting> = {};
  const items = parseNameValues(options.param ?? [], {
    where: '--param',
    noun: 'parameter',
    example: `--param width=256 (names: ${names.join(', ')})`,
    names,
    value: (name, text) => number('--param', name, text),
  });
  for (const [name, value] of items) chosen[name] = { value, source: '--param' };
  const flags: Record<Dedicated, string | undefined> = {
    n_iter: options.nIter,
    batch_size: options.batchSize,
    lr: options.lr,
  };
  for (const [name, text] of Object.entries(flags) as [Dedicated, string | undefined][])
    if (text !== undefined) chosen[name] = { value: number(DEDICATED[name], name, text), source: DEDICATED[name] };
  return chosen;
}

/** --prefer: one objective's name (its weight 1), or name=weight items separated by commas. */
export function parsePreference(text: string): Preference {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1 && !items[0].includes('=')) return { [items[0]]: 1 };
  return Object.fromEntries(
    parseNameValues(items, {
      where: '--prefer',
      noun: 'objective',
      example: '--prefer utility=2,time=1 (objectives: utility, privacy, time)',
      names: [...OBJECTIVES],
      value: (name, value) => {
        const weight = parseFiniteNumber(value.trim());
        if (weight === undefined || weight < 0)
          throw usageError(
            `--prefer ${name}: '${value}' is not a weight`,
            'Give each objective a number of 0 or more.',
          );
        return weight;
      },
    }),
  );
}

/** --grid items as axes of numbers; the method's space checks the names and values. */
function flagGrid(specs: readonly string[]): Record<string, number[]> {
  return Object.fromEntries(parseGrid(specs, undefined).map((axis) => [axis.name, axis.values]));
}

/** --condition items as one column's values; the model checks them against its columns when it samples. */
export function parseCondition(items: readonly string[] | undefined): SampleCondition | undefined {
  if (!items?.length) return undefined;
  const pairs = items.map((item) => {
    const at = item.indexOf('=');
    if (at <= 0)
      throw usageError(
        `--condition '${item}' is not column=value`,
        'Write --condition Species=Gentoo (repeat it for more values).',
      );
    return { column: item.slice(0, at).trim(), value: item.slice(at + 1) };
  });
  const columns = [...new Set(pairs.map((p) => p.column))];
  if (columns.length > 1)
    throw usageError(
      `--condition names several columns (${columns.join(', ')}); it takes values of one column`,
      'Repeat --condition with values of one column, and run again for another.',
    );
  return { column: columns[0], values: [...new Set(pairs.map((p) => p.value))] };
}

/** The parameter overrides, the attempt plan and the condition, parsed from the flags before any file is read or backend started. */
export function runFlags(
  options: GenerateOptions,
  space: Space,
  method: string = options.method,
): { overrides: ResolvedParam[]; plan: AttemptPlan; condition?: SampleCondition } {
  const condition = parseCondition(options.condition);
  return {
    overrides: options.loadModel ? [] : overrides(space, options, method),
    plan: attemptPlan(options, space),
    ...(condition ? { condition } : {}),
  };
}
