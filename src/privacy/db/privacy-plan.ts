/**
 * How the epsilon of a sample-db query is spent (SPEC section 7). Sensitive numeric columns get
 * Laplace noise within bounds, sensitive categorical columns k-ary randomized response over a
 * domain. Bounds and domains are declared (public, free) or estimated from the table with
 * ESTIMATION_SHARE of epsilon; the rest is split evenly across the sensitive columns and, being
 * spent on each sampled row, is amplified by the sampling rate q.
 */
import { inputError } from '../../core/errors.js';
import { isNumberText } from '../../core/schema/values.js';
import { amplifiedEpsilon } from '../mechanisms.js';
import type { CatalogueColumn } from './catalogue.js';

export const ESTIMATION_SHARE = 0.1;
export const DEFAULT_DELTA = 1e-6;

export interface SensitiveColumn {
  readonly name: string;
  readonly mechanism: 'laplace' | 'randomized_response';
  /** Epsilon spent on this column's value in each sampled row. */
  readonly epsilon: number;
  readonly integer: boolean;
  bounds?: [number, number];
  domain?: string[];
  /** declared: given by the user (public); estimated: computed from the table with estimationEpsilon. */
  readonly source: 'declared' | 'estimated';
  readonly estimationEpsilon: number;
}

export interface PrivacyPlan {
  readonly epsilon: number;
  readonly columns: SensitiveColumn[];
  /** Sampling rate. */
  readonly q: number;
  /** Epsilon per sampled row (sum over sensitive columns), before and after amplification. */
  readonly rowEpsilon: number;
  readonly rowEpsilonAmplified: number;
  /** Epsilon spent estimating bounds and domains on the whole table (not amplified). */
  readonly estimationEpsilon: number;
  /** What this query costs against the budget: estimation + amplified row epsilon. */
  readonly effectiveEpsilon: number;
  /** Set when a domain is estimated: the stability-based histogram is (epsilon, delta)-DP. */
  readonly delta?: number;
}

export interface PlanInput {
  readonly epsilon?: number;
  readonly sensitive: readonly string[];
  readonly bounds: Readonly<Record<string, [number, number]>>;
  readonly domains: Readonly<Record<string, string[]>>;
  readonly fraction: number;
  readonly delta?: number;
  readonly columns: readonly CatalogueColumn[];
}

export function planPrivacy(input: PlanInput): PrivacyPlan | null {
  const named = [...Object.keys(input.bounds), ...Object.keys(input.domains)];
  for (const name of named) {
    if (!input.sensitive.includes(name))
      throw inputError(
        `--bounds/--domain name '${name}', which is not in --sensitive`,
        `Add ${name} to --sensitive, or drop its bounds.`,
      );
  }
  if (input.sensitive.length === 0) return null;
  if (input.epsilon === undefined)
    throw inputError('--sensitive needs --epsilon', 'Give the privacy budget for this query, e.g. --epsilon 1.');
  const byName = new Map(input.columns.map((c) => [c.name, c]));
  const kinds = input.sensitive.map((name) => {
    const column = byName.get(name);
    if (!column)
      throw inputError(
        `sensitive column '${name}' is not among the sampled columns`,
        'Add it to --columns (or leave --columns out to take every column).',
      );
    const numeric = name in input.bounds || (!(name in input.domains) && column.numeric);
    const declared = numeric ? name in input.bounds : name in input.domains;
    return { name, numeric, declared, integer: column.integer };
  });
  const estimated = kinds.filter((k) => !k.declared).length;
  const estimationEpsilon = estimated ? input.epsilon * ESTIMATION_SHARE : 0;
  const rowTotal = input.epsilon - estimationEpsilon;
  const perColumn = rowTotal / kinds.length;
  const columns: SensitiveColumn[] = kinds.map((k) => ({
    name: k.name,
    mechanism: k.numeric ? 'laplace' : 'randomized_response',
    epsilon: perColumn,
    integer: k.integer,
    bounds: k.numeric ? input.bounds[k.name] : undefined,
    domain: k.numeric ? undefined : input.domains[k.name],
    source: k.declared ? 'declared' : 'estimated',
    estimationEpsilon: k.declared ? 0 : estimationEpsilon / estimated,
  }));
  const rowEpsilonAmplified = amplifiedEpsilon(rowTotal, input.fraction);
  const estimatesDomain = columns.some((c) => c.source === 'estimated' && c.mechanism === 'randomized_response');
  return {
    epsilon: input.epsilon,
    columns,
    q: input.fraction,
    rowEpsilon: rowTotal,
    rowEpsilonAmplified,
    estimationEpsilon,
    effectiveEpsilon: estimationEpsilon + rowEpsilonAmplified,
    ...(estimatesDomain ? { delta: input.delta ?? DEFAULT_DELTA } : {}),
  };
}

/** "age=0:120" (repeatable or comma-separated). */
export function parseBounds(items: readonly string[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const item of items) {
    const m = /^([^=]+)=([^:]+):(.+)$/.exec(item);
    if (!m || !isNumberText(m[2]) || !isNumberText(m[3])) {
      throw inputError(`--bounds '${item}' is not column=low:high with two numbers`, 'Write it as --bounds age=0:120.');
    }
    const lo = Number(m[2]);
    const hi = Number(m[3]);
    if (!(lo < hi))
      throw inputError(
        `--bounds '${item}': the low bound must be below the high one`,
        'Write it as --bounds age=0:120.',
      );
    out[m[1].trim()] = [lo, hi];
  }
  return out;
}

/** "diagnosis=flu,cold,asthma" (one column per --domain). */
export function parseDomains(items: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const values =
      eq > 0
        ? [
            ...new Set(
              item
                .slice(eq + 1)
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean),
            ),
          ]
        : [];
    if (values.length < 2)
      throw inputError(
        `--domain '${item}' is not column=value,value,...`,
        'Name at least two values, e.g. --domain sex=F,M.',
      );
    out[item.slice(0, eq).trim()] = values;
  }
  return out;
}
