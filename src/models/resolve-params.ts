/**
 * The parameters a run uses, each with where it came from: a flag, --param, or a default rule.
 * What the user set wins over the defaults.
 */
import type { Space } from './space.js';

export interface ResolvedParam {
  readonly name: string;
  readonly value: number;
  readonly source: string;
}

/** Every parameter of `space`, from `defaults` (value and the rule that gave it) overridden by `overrides`. */
export function resolveParams(
  space: Space,
  defaults: Readonly<Record<string, { value: number; rule: string }>>,
  overrides: readonly ResolvedParam[],
): ResolvedParam[] {
  const chosen = new Map<string, ResolvedParam>();
  for (const [name, { value, rule }] of Object.entries(defaults)) chosen.set(name, { name, value, source: rule });
  for (const o of overrides) chosen.set(o.name, o);
  return Object.keys(space).map((name) => {
    const param = chosen.get(name);
    if (!param) throw new Error(`no default for parameter ${name}`);
    return param;
  });
}

export const paramValues = (resolved: readonly ResolvedParam[]): Record<string, number> =>
  Object.fromEntries(resolved.map((p) => [p.name, p.value]));
