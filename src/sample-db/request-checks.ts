/**
 * The checks of a sample-db request that need no database, made before connecting: a request
 * that names an epsilon or a budget protects something; releasing every column as stored is an
 * explicit choice; the columns are a set (a column named twice would be released as independently
 * noised copies whose mean recovers the value, for one charge); declared bounds and domains make
 * sense. Errors name the options as `{name}` (sample-db's library options): the CLI says its flags.
 */
import { closestName, optionError } from '../core/errors.js';
import { isNumberText } from '../core/schema/values.js';
import { MAX_EPSILON } from '../privacy/epsilon-limit.js';

export interface RequestShape {
  readonly columns?: readonly string[];
  readonly sensitive: readonly string[];
  readonly bounds: Readonly<Record<string, [number, number]>>;
  readonly domains: Readonly<Record<string, string[]>>;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly budget?: number;
  readonly fraction: number;
  /** Release the rows as stored: the explicit choice that nothing is privatised. */
  readonly raw?: boolean;
  /** Clamp released numeric values to their bounds: only noised values have any to keep. */
  readonly clamp?: boolean;
  readonly minRows?: number;
  readonly deltaBudget?: number;
}

/** A usage error about `option` (texts name options as `{name}`). */
const refuse = (option: string, message: string, hint?: string, mentions: readonly string[] = []) =>
  optionError('usage', option, message, hint, mentions);

function refuseDuplicates(names: readonly string[], option: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw refuse(
        option,
        `{${option}} names '${name}' more than once`,
        `Name each column once: a column is released (and charged) once.`,
      );
    seen.add(name);
  }
}

export function checkRequest(request: RequestShape): void {
  refuseDuplicates(request.columns ?? [], 'columns');
  refuseDuplicates(request.sensitive, 'sensitive');
  const protects = request.sensitive.length > 0;
  if (request.raw && (protects || request.epsilon !== undefined || request.budget !== undefined))
    throw refuse(
      'raw',
      '{raw} releases every column as stored, so it cannot go with {sensitive}, {epsilon} or {budget}',
      'Drop {raw} to privatise the {sensitive} columns, or drop the privacy options to release the rows as stored.',
      ['sensitive', 'epsilon', 'budget'],
    );
  if (!protects && request.clamp)
    throw refuse(
      'clamp',
      '{clamp} keeps noised values inside their bounds, and no column is {sensitive}: nothing would be noised or clamped',
      'Name the numeric columns to protect: {epsilon} E {sensitive} a {bounds} a=LOW:HIGH, or drop {clamp}.',
      ['sensitive', 'epsilon', 'bounds'],
    );
  if (!protects && (request.epsilon !== undefined || request.budget !== undefined)) {
    const given = request.epsilon !== undefined ? 'epsilon' : 'budget';
    throw refuse(
      given,
      `{${given}} without {sensitive} would protect nothing: every column would be released as stored`,
      'Name the columns to protect: {epsilon} E {sensitive} a,b (with {bounds} a=LOW:HIGH or {domains} b=x,y for each); to release the rows as stored, drop {epsilon} and {budget} and pass {raw}.',
      ['epsilon', 'budget', 'sensitive', 'bounds', 'domains', 'raw'],
    );
  }
  if (!protects && !request.raw)
    throw refuse(
      'sensitive',
      'no column is protected: the rows would be released as stored',
      'Name the columns to protect with {epsilon} E {sensitive} a,b, or pass {raw} to release them as stored (the metadata records it).',
      ['epsilon', 'raw'],
    );
  if (protects && request.epsilon === undefined)
    throw refuse(
      'epsilon',
      '{sensitive} needs {epsilon}',
      'Give the privacy budget for this query, e.g. {epsilon} 1.',
      ['sensitive'],
    );
  if (request.epsilon !== undefined && !(Number.isFinite(request.epsilon) && request.epsilon > 0))
    throw refuse('epsilon', `{epsilon} must be a positive number, got ${request.epsilon}`);
  if (request.epsilon !== undefined && request.epsilon > MAX_EPSILON)
    throw refuse(
      'epsilon',
      `{epsilon} ${request.epsilon} is above ${MAX_EPSILON}, the largest epsilon gesalp accepts: the noise would protect nothing`,
      `Give an epsilon of at most ${MAX_EPSILON} (0.1 to 10 is usual).`,
    );
  if (request.minRows !== undefined && !(Number.isInteger(request.minRows) && request.minRows >= 1))
    throw refuse('min_rows', `{min_rows} must be a whole number of rows, at least 1, got ${request.minRows}`);
  if (request.deltaBudget !== undefined && !(request.deltaBudget > 0 && request.deltaBudget < 1))
    throw refuse(
      'delta_budget',
      `{delta_budget} must be in (0, 1), got ${request.deltaBudget}`,
      'The default is 1e-6 per target.',
    );
  if (request.delta !== undefined && !(request.delta > 0 && request.delta < 1))
    throw refuse(
      'delta',
      `{delta} must be in (0, 1), got ${request.delta}`,
      'Use a delta far below 1 / rows, e.g. {delta} 1e-6.',
    );
  if (!(request.fraction > 0 && request.fraction <= 1))
    throw refuse('fraction', `{fraction} must be in (0, 1], got ${request.fraction}`);
  for (const [name, [lo, hi]] of Object.entries(request.bounds)) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi))
      throw refuse(
        'bounds',
        `{bounds} ${name}=${lo}:${hi} is not two finite numbers, low below high`,
        'Write it as {bounds} age=0:120.',
      );
  }
  for (const name of [...Object.keys(request.bounds), ...Object.keys(request.domains)]) {
    const option = name in request.bounds ? 'bounds' : 'domains';
    if (!request.sensitive.includes(name)) {
      // A typo of a sensitive column is likelier than a column meant to be sensitive and left out.
      const close = closestName(name, request.sensitive);
      throw refuse(
        option,
        `{bounds}/{domains} name '${name}', which is not in {sensitive}`,
        close
          ? `Did you mean '${close}'? If not, add ${name} to {sensitive}, or drop its bounds.`
          : `Add ${name} to {sensitive}, or drop its bounds.`,
        ['bounds', 'domains', 'sensitive'],
      );
    }
    if (name in request.bounds && name in request.domains)
      throw refuse(
        'domains',
        `'${name}' has both {bounds} and {domains}`,
        'A numeric column takes {bounds}, a categorical one {domains}.',
        ['bounds'],
      );
  }
}

/** "age=0:120" (repeatable or comma-separated); each column once, two finite numbers, low below high. */
export function parseBounds(items: readonly string[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const item of items) {
    const m = /^([^=]+)=([^:]+):(.+)$/.exec(item);
    if (!m || !isNumberText(m[2].trim()) || !isNumberText(m[3].trim()))
      throw refuse(
        'bounds',
        `{bounds} '${item}' is not column=low:high with two numbers`,
        'Write it as {bounds} age=0:120.',
      );
    const [lo, hi] = [Number(m[2]), Number(m[3])];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(hi - lo))
      throw refuse(
        'bounds',
        `{bounds} '${item}': both bounds and the range between them must be finite numbers`,
        'Write it as {bounds} age=0:120.',
      );
    if (!(lo < hi))
      throw refuse(
        'bounds',
        `{bounds} '${item}': the low bound must be below the high one`,
        'Write it as {bounds} age=0:120.',
      );
    const name = m[1].trim();
    if (name in out) throw refuse('bounds', `{bounds} names '${name}' more than once`, 'Give each column one range.');
    out[name] = [lo, hi];
  }
  return out;
}

/** "diagnosis=flu,cold,asthma" (one column per item); each column once, at least two distinct values. */
export function parseDomains(items: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const values =
      eq > 0
        ? item
            .slice(eq + 1)
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : [];
    if (new Set(values).size < 2)
      throw refuse(
        'domains',
        `{domains} '${item}' is not column=value,value,...`,
        'Name at least two values, e.g. {domains} sex=F,M.',
      );
    if (new Set(values).size !== values.length)
      throw refuse('domains', `{domains} '${item}' names a value more than once`, 'Name each category once.');
    const name = item.slice(0, eq).trim();
    if (name in out)
      throw refuse('domains', `{domains} names '${name}' more than once`, 'Give each column one {domains}.');
    out[name] = values;
  }
  return out;
}
