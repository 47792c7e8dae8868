/**
 * The run an analysis points to: the method (switched or kept), the parameters that differ from
 * the table's size defaults (the run's own choices and the changes; the defaults go without
 * saying), and epsilon under DP. A switch starts from the new method's defaults, as the retry
 * loop does, with the changes that name its parameters.
 */
import { REGISTRY, type MethodId, type Registry } from '../models/registry.js';
import type { Change } from './rule.js';
import type { Situation } from './situation.js';
import { sizeDefaults } from './size-defaults.js';

export interface NextRun {
  readonly method: MethodId;
  /** Only those that differ from the size defaults, in the space's order. */
  readonly parameters: Readonly<Record<string, number>>;
  /** The epsilon to train under (the run's, or the changed one); null without DP. */
  readonly epsilon: number | null;
}

/** Null where nothing changes, or the method is not known. */
export function nextRun(
  situation: Situation,
  changes: readonly Change[],
  registry: Registry = REGISTRY,
): NextRun | null {
  if (situation.method === null || changes.length === 0) return null;
  const switched = changes.find((c) => c.param === 'method');
  const method = switched ? (switched.to as MethodId) : situation.method;
  const epsilonChange = changes.find((c) => c.param === 'epsilon');
  const epsilon = typeof epsilonChange?.to === 'number' ? epsilonChange.to : (situation.dp?.epsilon ?? null);
  const defaults = Object.fromEntries(
    Object.entries(sizeDefaults(registry.get(method), situation.trainRows, situation.columns, epsilon !== null)).map(
      ([name, d]) => [name, d.value],
    ),
  );
  const values: Record<string, number> = switched ? { ...defaults } : { ...defaults, ...situation.params };
  for (const c of changes) if (typeof c.to === 'number' && c.param in values) values[c.param] = c.to;
  const parameters = Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== defaults[name]));
  return { method, parameters, epsilon };
}
