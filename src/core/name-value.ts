/**
 * The one reader of `name=value` items (--threshold, --metrics, --params, config entries): split
 * at the first '=', the name checked against the valid ones, each name given once.
 */
import { optionError, unknownNameHint, usageError } from './errors.js';

export interface NameValueSpec<T> {
  /** Where the items came from: a config file's path, or `{option}` for the option below. */
  readonly where: string;
  /** The option the items are given in (a library option's key): the texts name it as `{option}`. */
  readonly option?: string;
  /** What a name is: 'metric', 'parameter'. */
  readonly noun: string;
  /** A correct item, for the hint: 'ks_mean=0.73'. */
  readonly example: string;
  readonly names: readonly string[];
  /** The value of one item; throws a GesalpError naming `where` and the name when the text is bad. */
  readonly value: (name: string, text: string) => T;
}

/** `name=value` as a name and a value, or undefined when there is no '=' after a name. */
export function splitNameValue(item: string): { name: string; text: string } | undefined {
  const eq = item.indexOf('=');
  const name = item.slice(0, Math.max(0, eq)).trim();
  return eq <= 0 || name === '' ? undefined : { name, text: item.slice(eq + 1).trim() };
}

export function parseNameValues<T>(items: readonly string[], spec: NameValueSpec<T>): Map<string, T> {
  const refuse = (message: string, hint: string) =>
    spec.option === undefined ? usageError(message, hint) : optionError('usage', spec.option, message, hint);
  const out = new Map<string, T>();
  for (const item of items) {
    const pair = splitNameValue(item);
    if (!pair) throw refuse(`${spec.where}: '${item}' is not name=value`, `Write it as ${spec.example}.`);
    if (!spec.names.includes(pair.name))
      throw refuse(`${spec.where}: unknown ${spec.noun} '${pair.name}'`, unknownNameHint(pair.name, spec.names));
    if (out.has(pair.name)) throw refuse(`${spec.where} names ${pair.name} twice`, `Give each ${spec.noun} once.`);
    out.set(pair.name, spec.value(pair.name, pair.text));
  }
  return out;
}
