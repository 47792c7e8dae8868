/**
 * The checks of a sample-db request that need no database, made before connecting: a request
 * that names an epsilon or a budget protects something; releasing every column as stored is an
 * explicit choice; the columns are a set (a column named twice would be released as independently
 * noised copies whose mean recovers the value, for one charge); declared bounds and domains make
 * sense.
 */
import { closestName, usageError } from '../core/errors.js';
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
  readonly minRows?: number;
  readonly deltaBudget?: number;
}

function refuseDuplicates(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw usageError(
        `${what} names '${name}' more than once`,
        `Name each column once: a column is released (and charged) once.`,
      );
    seen.add(name);
  }
}

export function checkRequest(request: RequestShape): void {
  refuseDuplicates(request.columns ?? [], '--columns');
  refuseDuplicates(request.sensitive, '--sensitive');
  const protects = request.sensitive.length > 0;
  if (request.raw && (protects || request.epsilon !== undefined || request.budget !== undefined))
    throw usageError(
      '--raw releases every column as stored, so it cannot go with --sensitive, --epsilon or --budget',
      'Drop --raw to privatise the --sensitive columns, or drop the privacy flags to release the rows as stored.',
    );
  if (!protects && (request.epsilon !== undefined || request.budget !== undefined))
    throw usageError(
      `${request.epsilon !== undefined ? '--epsilon' : '--budget'} without --sensitive would protect nothing: every column would be released as stored`,
      'Name the columns to protect: --epsilon E --sensitive a,b (with --bounds a=LOW:HIGH or --domain b=x,y for each); to release the rows as stored, drop --epsilon and --budget and pass --raw.',
    );
  if (!protects && !request.raw)
    throw usageError(
      'no column is protected: the rows would be released as stored',
      'Name the columns to protect with --epsilon E --sensitive a,b, or pass --raw to release them as stored (the metadata records it).',
    );
  if (protects && request.epsilon === undefined)
    throw usageError('--sensitive needs --epsilon', 'Give the privacy budget for this query, e.g. --epsilon 1.');
  if (request.epsilon !== undefined && !(Number.isFinite(request.epsilon) && request.epsilon > 0))
    throw usageError(`--epsilon must be a positive number, got ${request.epsilon}`);
  if (request.epsilon !== undefined && request.epsilon > MAX_EPSILON)
    throw usageError(
      `--epsilon ${request.epsilon} is above ${MAX_EPSILON}, the largest epsilon gesalp accepts: the noise would protect nothing`,
      `Give an epsilon of at most ${MAX_EPSILON} (0.1 to 10 is usual).`,
    );
  if (request.minRows !== undefined && !(Number.isInteger(request.minRows) && request.minRows >= 1))
    throw usageError(`--min-rows must be a whole number of rows, at least 1, got ${request.minRows}`);
  if (request.deltaBudget !== undefined && !(request.deltaBudget > 0 && request.deltaBudget < 1))
    throw usageError(`--delta-budget must be in (0, 1), got ${request.deltaBudget}`, 'The default is 1e-6 per target.');
  if (request.delta !== undefined && !(request.delta > 0 && request.delta < 1))
    throw usageError(
      `--delta must be in (0, 1), got ${request.delta}`,
      'Use a delta far below 1 / rows, e.g. --delta 1e-6.',
    );
  if (!(request.fraction > 0 && request.fraction <= 1))
    throw usageError(`--fraction must be in (0, 1], got ${request.fraction}`);
  for (const [name, [lo, hi]] of Object.entries(request.bounds)) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi))
      throw usageError(
        `--bounds ${name}=${lo}:${hi} is not two finite numbers, low below high`,
        'Write it as --bounds age=0:120.',
      );
  }
  for (const name of [...Object.keys(request.bounds), ...Object.keys(request.domains)]) {
    if (!request.sensitive.includes(name)) {
      // A typo of a sensitive column is likelier than a column meant to be sensitive and left out.
      const close = closestName(name, request.sensitive);
      throw usageError(
        `--bounds/--domain name '${name}', which is not in --sensitive`,
        close
          ? `Did you mean '${close}'? If not, add ${name} to --sensitive, or drop its bounds.`
          : `Add ${name} to --sensitive, or drop its bounds.`,
      );
    }
    if (name in request.bounds && name in request.domains)
      throw usageError(
        `'${name}' has both --bounds and --domain`,
        'A numeric column takes --bounds, a categorical one --domain.',
      );
  }
}

/** "age=0:120" (repeatable or comma-separated); each column once, two finite numbers, low below high. */
export function parseBounds(items: readonly string[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const item of items) {
    const m = /^([^=]+)=([^:]+):(.+)$/.exec(item);
    if (!m || !isNumberText(m[2].trim()) || !isNumberText(m[3].trim()))
      throw usageError(`--bounds '${item}' is not column=low:high with two numbers`, 'Write it as --bounds age=0:120.');
    const [lo, hi] = [Number(m[2]), Number(m[3])];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(hi - lo))
      throw usageError(
        `--bounds '${item}': both bounds and the range between them must be finite numbers`,
        'Write it as --bounds age=0:120.',
      );
    if (!(lo < hi))
      throw usageError(
        `--bounds '${item}': the low bound must be below the high one`,
        'Write it as --bounds age=0:120.',
      );
    const name = m[1].trim();
    if (name in out) throw usageError(`--bounds names '${name}' more than once`, 'Give each column one range.');
    out[name] = [lo, hi];
  }
  return out;
}

/** "diagnosis=flu,cold,asthma" (one column per --domain); each column once, at least two distinct values. */
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
      throw usageError(
        `--domain '${item}' is not column=value,value,...`,
        'Name at least two values, e.g. --domain sex=F,M.',
      );
    if (new Set(values).size !== values.length)
      throw usageError(`--domain '${item}' names a value more than once`, 'Name each category once.');
    const name = item.slice(0, eq).trim();
    if (name in out) throw usageError(`--domain names '${name}' more than once`, 'Give each column one --domain.');
    out[name] = values;
  }
  return out;
}
