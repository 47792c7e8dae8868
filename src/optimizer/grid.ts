/**
 * Grid search (SPEC section 5): `name=v1,v2` items (the CLI's --grid) expand into every
 * combination, each a run. Errors name the option as `{grid}`: the CLI says its flag.
 */
import { optionError, unknownNameHint } from '../core/errors.js';
import { splitNameValue } from '../core/name-value.js';
import { parseFiniteNumber } from '../core/schema/values.js';
import { parseParam, type Space } from '../models/space.js';

export interface GridAxis {
  readonly name: string;
  readonly values: number[];
}

/** Parameters a grid may vary beyond the model's space, with why they cannot be used here, if so. */
export interface GridExtras {
  readonly [name: string]: string | null;
}

const refuse = (message: string, hint: string) => optionError('usage', 'grid', message, hint);

/** `space` undefined: the names and values are checked later, against the method's space once it is known (auto). */
export function parseGrid(specs: readonly string[], space: Space | undefined, extras: GridExtras = {}): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const spec of specs) {
    const pair = splitNameValue(spec);
    if (!pair || pair.text === '')
      throw refuse(
        `{grid} '${spec}' is not name=v1,v2,...`,
        'Write it as {grid} n_iter=300,500 (repeat {grid} for more axes).',
      );
    const name = pair.name;
    if (axes.some((a) => a.name === name))
      throw refuse(`{grid} names ${name} twice`, 'Give each parameter one {grid} with all its values.');
    if (Object.hasOwn(extras, name)) {
      if (extras[name] !== null)
        throw refuse(
          `{grid} ${name}: ${extras[name]}`,
          `Drop {grid} ${name}, or grid over ${Object.keys(space ?? {}).join(', ')}.`,
        );
    } else if (space && !Object.hasOwn(space, name))
      throw refuse(
        `{grid}: unknown parameter '${name}'`,
        unknownNameHint(name, [...Object.keys(space), ...Object.keys(extras)]),
      );
    const values = pair.text
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => (space && name in space ? parseParam(space, name, v) : extraValue(name, v)));
    if (!values.length)
      throw refuse(`{grid} '${spec}' lists no values for ${name}`, `Write it as {grid} ${name}=v1,v2.`);
    axes.push({ name, values: [...new Set(values)] });
  }
  return axes;
}

function extraValue(name: string, text: string): number {
  const value = parseFiniteNumber(text);
  if (value === undefined)
    throw refuse(`{grid} ${name}: '${text}' is not a number`, 'Write it as {grid} epsilon=1,2,5.');
  return value;
}

/** Every combination, the first axis varying slowest. */
export function gridPoints(axes: readonly GridAxis[]): Record<string, number>[] {
  return axes.reduce<Record<string, number>[]>(
    (points, axis) => points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.name]: v }))),
    [{}],
  );
}
