/**
 * The search's options as the pipeline takes them: the methods `--search bayes` chooses between,
 * the warm start from earlier reports, the time budget and the preference.
 */
import type { Table } from '../core/table.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import type { Registry } from '../models/registry.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import { inSpace } from '../models/space.js';
import { bestEarlierPoint, warmStartPoints, type TableShape } from '../optimizer/search/warm-start.js';
import type { AttemptPlan } from '../pipeline/attempt-plan.js';
import type { SearchSettings } from '../pipeline/attempts.js';
import type { GenerateOptions } from './generate-options.js';

/**
 * The methods a Bayesian search may try: with `--method auto` every method of the registry (the
 * automatic choice first), else the one named. Under DP only the one: a switch between DP-SGD and
 * zCDP methods would change what preprocessing released.
 */
export function searchMethods(
  options: GenerateOptions,
  chosen: string,
  registry: Registry,
  privateRun: boolean,
): string[] {
  if (options.search !== 'bayes') return [];
  if (options.method !== 'auto' || privateRun) return [chosen];
  return [chosen, ...registry.ids.filter((id) => id !== chosen)];
}

export function searchSettings(
  options: GenerateOptions,
  plan: AttemptPlan,
  method: MethodDescriptor,
  overrides: readonly ResolvedParam[],
  run: { readonly shape: TableShape; readonly privateRun: boolean },
): SearchSettings {
  const prior =
    plan.kind === 'bayes' && options.previous?.length
      ? warmStartPoints(options.previous, names(options), run.shape, plan.methods, run.privateRun)
      : [];
  return {
    ...(options.time_budget !== undefined ? { timeBudget: options.time_budget } : {}),
    ...(options.prefer ? { prefer: options.prefer } : {}),
    ...(options.ensemble !== undefined ? { ensemble: options.ensemble } : {}),
    ...(options.parallel_attempts !== undefined ? { parallel: options.parallel_attempts } : {}),
    start: {
      prior,
      fixed: new Set(overrides.filter((o) => !o.source.startsWith(PREVIOUS)).map((o) => o.name)),
    },
  };
}

const PREVIOUS = 'previous run';

/**
 * The rules' warm start: where the plan is the retry loop, the best earlier attempt of this
 * method sets its searched parameters that the user did not set (each says so in the report).
 */
export function previousStart(
  options: GenerateOptions,
  plan: AttemptPlan,
  method: MethodDescriptor,
  given: readonly ResolvedParam[],
  privateRun: boolean,
  table: Table,
): ResolvedParam[] {
  if (plan.kind !== 'retry' || !options.previous?.length) return [];
  const shape = { rows: privateRun ? null : table.rowCount, columns: table.columns.length };
  const prior = warmStartPoints(options.previous, names(options), shape, [method.id], privateRun);
  const userSet = new Set(given.map((g) => g.name));
  // A value the space does not allow (a hand-edited report) is no start: the size default stays.
  return bestEarlierPoint(prior, method.id, Object.keys(method.searchSpace ?? {}), userSet)
    .filter((p) => inSpace(method.space[p.name], p.value))
    .map((p) => ({
      ...p,
      source: `${PREVIOUS} (its best ${method.id} attempt)`,
    }));
}

const names = (options: GenerateOptions): string[] =>
  (options.previous ?? []).map((_, i) => options.previous_names?.[i] ?? `report ${i + 1}`);
