/**
 * The parameters a run uses, each with where it came from: a flag, --param, or a default rule.
 * Flags win over --param, which wins over the defaults.
 */
import { usageError } from '../core/errors.js';
import { parseParam, type Space } from './space.js';

export interface ResolvedParam {
  readonly name: string;
  readonly value: number;
  readonly source: string;
}

export interface ParamRequest {
  readonly space: Space;
  /** Every parameter's default with the rule that gave it. */
  readonly defaults: Readonly<Record<string, { value: number; rule: string }>>;
  /** Dedicated flags (--n-iter, --batch-size, --lr) by parameter name, as typed. */
  readonly flags: Readonly<Record<string, string | undefined>>;
  /** --param key=value, repeatable. */
  readonly params: readonly string[];
}

export function resolveParams(request: ParamRequest): ResolvedParam[] {
  const chosen = new Map<string, ResolvedParam>();
  for (const [name, { value, rule }] of Object.entries(request.defaults))
    chosen.set(name, { name, value, source: rule });
  for (const pair of request.params) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw usageError(
        `--param '${pair}' is not key=value`,
        `Write it as --param name=value, e.g. --param width=256. Names: ${Object.keys(request.space).join(', ')}.`,
      );
    const name = pair.slice(0, eq).trim();
    chosen.set(name, { name, value: parseParam(request.space, name, pair.slice(eq + 1)), source: '--param' });
  }
  for (const [name, text] of Object.entries(request.flags)) {
    if (text !== undefined)
      chosen.set(name, { name, value: parseParam(request.space, name, text), source: `--${name.replace(/_/g, '-')}` });
  }
  return Object.keys(request.space).map((name) => {
    const param = chosen.get(name);
    if (!param) throw new Error(`no default for parameter ${name}`);
    return param;
  });
}

export const paramValues = (resolved: readonly ResolvedParam[]): Record<string, number> =>
  Object.fromEntries(resolved.map((p) => [p.name, p.value]));
