/**
 * How the epsilon of a sample-db query is spent (SPEC section 7). Sensitive numeric columns get
 * Laplace noise within bounds, sensitive categorical columns k-ary randomized response over a
 * domain. Bounds and domains are declared (public, free) or estimated from the table with
 * ESTIMATION_SHARE of epsilon; the rest is split evenly across the sensitive columns.
 *
 * Amplification by sampling (ln(1 + q(e^eps - 1))) rests on nobody knowing who was sampled. A
 * column released as stored (an id, or any value an attacker can match to a person) shows who
 * is in the sample, and a known --seed lets anyone recompute the sample; then a sampled person's
 * sensitive values are protected by the full row epsilon, which is what is charged.
 */
import { usageError } from '../../core/errors.js';
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

export interface Amplification {
  readonly applied: boolean;
  /** Why it was or was not applied, in words for the metadata. */
  readonly rule: string;
}

export interface PrivacyPlan {
  readonly epsilon: number;
  readonly columns: SensitiveColumn[];
  /** Sampling rate. */
  readonly q: number;
  /** Epsilon per sampled row (sum over sensitive columns), and what is charged for it. */
  readonly rowEpsilon: number;
  readonly rowEpsilonCharged: number;
  readonly amplification: Amplification;
  /** Released columns that are not privatised. */
  readonly rawColumns: string[];
  /** Epsilon spent estimating bounds and domains on the whole table (not amplified). */
  readonly estimationEpsilon: number;
  /** What this query costs against the budget: estimation + charged row epsilon. */
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
  /** The sample can be recomputed by whoever knows the seed (it is in the metadata and the audit log). */
  readonly seeded: boolean;
  readonly delta?: number;
  /** The released columns, from the catalogue. */
  readonly columns: readonly CatalogueColumn[];
}

function amplification(q: number, seeded: boolean, rawColumns: readonly string[]): Amplification {
  if (q >= 1) return { applied: false, rule: 'every row is read (fraction 1): nothing to amplify' };
  if (rawColumns.length)
    return {
      applied: false,
      rule: `not applied: ${rawColumns.join(', ')} ${rawColumns.length > 1 ? 'are' : 'is'} released as stored, which shows who was sampled, so the full row epsilon is charged`,
    };
  if (seeded)
    return {
      applied: false,
      rule: 'not applied: the seed is recorded, so anyone who reads it can recompute who was sampled; the full row epsilon is charged',
    };
  return { applied: true, rule: 'applied: every released column is privatised and the sample is unseeded' };
}

function checkKind(column: CatalogueColumn, input: PlanInput): boolean {
  const { name } = column;
  if (name in input.bounds && !column.numeric)
    throw usageError(
      `--bounds ${name}: '${name}' is a ${column.type || 'untyped'} column, not a numeric one`,
      `Declare its categories instead: --domain ${name}=a,b,c.`,
    );
  if (name in input.domains && column.numeric)
    throw usageError(
      `--domain ${name}: '${name}' is a numeric (${column.type}) column`,
      `Declare its range instead: --bounds ${name}=LOW:HIGH.`,
    );
  return column.numeric;
}

/** The privacy plan, or null when nothing is privatised (an explicit raw release). */
export function planPrivacy(input: PlanInput): PrivacyPlan | null {
  if (input.sensitive.length === 0) return null;
  if (input.epsilon === undefined)
    throw usageError('--sensitive needs --epsilon', 'Give the privacy budget for this query, e.g. --epsilon 1.');
  const byName = new Map(input.columns.map((c) => [c.name, c]));
  const kinds = input.sensitive.map((name) => {
    const column = byName.get(name);
    if (!column)
      throw usageError(
        `sensitive column '${name}' is not among the sampled columns`,
        'Add it to --columns (or leave --columns out to take every column).',
      );
    const numeric = checkKind(column, input);
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
  const rawColumns = input.columns.map((c) => c.name).filter((name) => !input.sensitive.includes(name));
  const rule = amplification(input.fraction, input.seeded, rawColumns);
  const rowEpsilonCharged = rule.applied ? amplifiedEpsilon(rowTotal, input.fraction) : rowTotal;
  const estimatesDomain = columns.some((c) => c.source === 'estimated' && c.mechanism === 'randomized_response');
  return {
    epsilon: input.epsilon,
    columns,
    q: input.fraction,
    rowEpsilon: rowTotal,
    rowEpsilonCharged,
    amplification: rule,
    rawColumns,
    estimationEpsilon,
    effectiveEpsilon: estimationEpsilon + rowEpsilonCharged,
    ...(estimatesDomain ? { delta: input.delta ?? DEFAULT_DELTA } : {}),
  };
}

/** A column name that usually identifies a person or a record (snake_case or camelCase). */
export function looksLikeIdentifier(name: string): boolean {
  return (
    /(^|[_\W])(id|uuid|guid|key|ssn|mrn|email|e_?mail|phone|name|surname|address|passport)$/i.test(name) ||
    /[a-z](Id|ID|Uuid|UUID|Key|Name|Email)$/.test(name)
  );
}
