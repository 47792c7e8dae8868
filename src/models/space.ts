/**
 * A model's hyperparameter space, declared once next to its code: the same declaration gives
 * the types, --param validation, the help text, the optimizer's clamping and PARAMETER_TABLES.md.
 */
import { unknownNameHint, usageError } from '../core/errors.js';
import { parseNameValues } from '../core/name-value.js';
import { parseFiniteNumber } from '../core/schema/values.js';

export type ParamSpec =
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly log?: boolean; readonly help: string }
  | {
      readonly kind: 'float';
      readonly low: number;
      readonly high: number;
      readonly log?: boolean;
      readonly help: string;
    };

export type Space = Readonly<Record<string, ParamSpec>>;

export type ParamValues<S extends Space> = { readonly [K in keyof S]: number };

/** Parses `value` for parameter `name`, refusing what the space does not allow (exit 2, with the range). */
export function parseParam(space: Space, name: string, text: string): number {
  const spec = Object.hasOwn(space, name) ? space[name] : undefined;
  if (!spec) throw usageError(`unknown parameter '${name}'`, unknownNameHint(name, Object.keys(space)));
  const value = parseFiniteNumber(text.trim()) ?? NaN;
  const range = `${spec.low}..${spec.high}`;
  if (!Number.isFinite(value) || (spec.kind === 'int' && !Number.isInteger(value))) {
    throw usageError(
      `parameter ${name}: '${text}' is not ${spec.kind === 'int' ? 'a whole number' : 'a number'}`,
      `Give a value in ${range}.`,
    );
  }
  if (value < spec.low || value > spec.high)
    throw usageError(`parameter ${name}: ${value} is outside ${range}`, `Give a value in ${range}.`);
  return value;
}

/** Clamps a value into the space (and to a whole number for int parameters): for rules that step a value. */
export function clampParam(spec: ParamSpec, value: number): number {
  const clamped = Math.min(Math.max(value, spec.low), spec.high);
  return spec.kind === 'int' ? Math.round(clamped) : clamped;
}

export function inSpace(spec: ParamSpec, value: number): boolean {
  return (
    Number.isFinite(value) &&
    value >= spec.low &&
    value <= spec.high &&
    (spec.kind !== 'int' || Number.isInteger(value))
  );
}

/** `name=value` items (--param, --params) as parameter values, each checked against the space. */
export function parseParamItems(items: readonly string[], space: Space, where: string): Map<string, number> {
  return parseNameValues(items, {
    where,
    noun: 'parameter',
    example: `${where} width=256 (names: ${Object.keys(space).join(', ')})`,
    names: Object.keys(space),
    value: (name, text) => parseParam(space, name, text),
  });
}
