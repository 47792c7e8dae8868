/**
 * How the epsilon and delta of a sample-db query are spent (SPEC section 7). Sensitive numeric
 * columns get Laplace noise within bounds, sensitive categorical columns k-ary randomized response
 * over a domain. Bounds and domains are declared (public, free) or estimated from the table with
 * ESTIMATION_SHARE of epsilon (a domain also with delta); the rest is split evenly across the
 * sensitive columns.
 *
 * Amplification by sampling is claimed as (epsilon', delta) of the sampled, shuffled release,
 * count included (src/privacy/amplification.ts), and only where its premises hold: nobody can tell
 * who was sampled (every released column privatised, no recorded seed), the sample is Poisson (no
 * --limit cutting it in scan order) with coins from the CSPRNG (drawn in the client, whatever the
 * engine), and a public lower bound on the table's rows is given (the delta depends on it). Where
 * any fails, a sampled person's values are protected by the full row epsilon, which is charged.
 */
import { closestName, optionError } from '../core/errors.js';
import { amplifiedCost } from '../privacy/amplification.js';
import type { CatalogueColumn } from './catalogue.js';

export const ESTIMATION_SHARE = 0.1;
/** The delta one query may spend, when --delta is not given: on estimating domains and on amplification together. */
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
  /** Laplace only: each released value is clamped to the bounds after the noise (post-processing, free). */
  readonly clamp: boolean;
}

export interface Amplification {
  readonly applied: boolean;
  /** Why it was or was not applied, in words for the metadata. */
  readonly rule: string;
  /** Applied: what the sampled, shuffled release costs, and the row count it was computed for. */
  readonly epsilon?: number;
  readonly delta?: number;
  readonly minRows?: number;
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
  /** Released numeric values are clamped to their bounds after the noise (changes no charge). */
  readonly clamp: boolean;
  /** Epsilon spent estimating bounds and domains on the whole table (not amplified). */
  readonly estimationEpsilon: number;
  /** Delta of the estimated domains together (the stability histogram is (epsilon, delta)-DP), and each one's. */
  readonly estimationDelta: number;
  readonly domainDelta?: number;
  /** What this query costs against the budget: estimation + charged row epsilon, and the deltas summed. */
  readonly effectiveEpsilon: number;
  readonly effectiveDelta: number;
}

export interface PlanInput {
  readonly epsilon?: number;
  readonly sensitive: readonly string[];
  readonly bounds: Readonly<Record<string, [number, number]>>;
  readonly domains: Readonly<Record<string, string[]>>;
  readonly fraction: number;
  /** The sample can be recomputed by whoever knows the seed (it is in the metadata and the audit log). */
  readonly seeded: boolean;
  /** --limit: the first N sampled rows in scan order. */
  readonly limit?: number;
  /** A public lower bound on the table's rows (--min-rows). */
  readonly minRows?: number;
  readonly delta?: number;
  /** The released columns, from the catalogue. */
  readonly columns: readonly CatalogueColumn[];
  /** Clamp each released numeric value to its bounds after the noise. */
  readonly clamp?: boolean;
}

/** Why amplification cannot be claimed for this request, or null when its premises hold. */
function premiseMissing(input: PlanInput, rawColumns: readonly string[]): string | null {
  if (input.fraction >= 1) return 'every row is read (fraction 1): nothing to amplify';
  if (rawColumns.length)
    return `not applied: ${rawColumns.join(', ')} ${rawColumns.length > 1 ? 'are' : 'is'} released as stored, which shows who was sampled, so the full row epsilon is charged`;
  if (input.seeded)
    return 'not applied: the seed is recorded, so anyone who reads it can recompute who was sampled; the full row epsilon is charged';
  if (input.limit !== undefined)
    return 'not applied: limit keeps the first sampled rows in scan order, so the sample is not Poisson; the full row epsilon is charged';
  if (input.minRows === undefined)
    return "not applied: the delta of the released row count depends on the table's size; give min_rows N, a public lower bound on its rows, to claim it. The full row epsilon is charged";
  return null;
}

function checkKind(column: CatalogueColumn, input: PlanInput): boolean {
  const { name } = column;
  if (name in input.bounds && !column.numeric)
    throw optionError(
      'usage',
      'bounds',
      `{bounds} ${name}: '${name}' is a ${column.type || 'untyped'} column, not a numeric one`,
      `Declare its categories instead: {domains} ${name}=a,b,c.`,
      ['domains'],
    );
  if (name in input.domains && column.numeric)
    throw optionError(
      'usage',
      'domains',
      `{domains} ${name}: '${name}' is a numeric (${column.type}) column`,
      `Declare its range instead: {bounds} ${name}=LOW:HIGH.`,
      ['bounds'],
    );
  return column.numeric;
}

/** The privacy plan, or null when nothing is privatised (an explicit raw release). */
export function planPrivacy(input: PlanInput): PrivacyPlan | null {
  if (input.sensitive.length === 0) return null;
  if (input.epsilon === undefined)
    throw optionError(
      'usage',
      'epsilon',
      '{sensitive} needs {epsilon}',
      'Give the privacy budget for this query, e.g. {epsilon} 1.',
      ['sensitive'],
    );
  const byName = new Map(input.columns.map((c) => [c.name, c]));
  const kinds = input.sensitive.map((name) => {
    const column = byName.get(name);
    if (!column) {
      // A typo of a sampled column is far likelier than a column left out of --columns.
      const close = closestName(name, [...byName.keys()]);
      throw optionError(
        'usage',
        'sensitive',
        `sensitive column '${name}' is not among the sampled columns`,
        close
          ? `Did you mean '${close}'? If not, add '${name}' to {columns} (or leave {columns} out to take every column).`
          : 'Add it to {columns} (or leave {columns} out to take every column).',
        ['columns'],
      );
    }
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
    // A category is released as itself or another category: there is nothing to clamp.
    clamp: k.numeric && input.clamp === true,
  }));
  const rawColumns = input.columns.map((c) => c.name).filter((name) => !input.sensitive.includes(name));
  const missing = premiseMissing(input, rawColumns);
  // --delta is the query's whole delta: split evenly between estimating domains and amplification.
  const domains = columns.filter((c) => c.source === 'estimated' && c.mechanism === 'randomized_response').length;
  const delta = input.delta ?? DEFAULT_DELTA;
  const share = delta / ((domains ? 1 : 0) + (missing ? 0 : 1) || 1);
  const amplification = missing
    ? { applied: false, rule: missing }
    : amplify(rowTotal, input.fraction, input.minRows!, share);
  const rowEpsilonCharged = amplification.applied ? amplification.epsilon! : rowTotal;
  const estimationDelta = domains ? share : 0;
  return {
    epsilon: input.epsilon,
    columns,
    q: input.fraction,
    rowEpsilon: rowTotal,
    rowEpsilonCharged,
    amplification,
    rawColumns,
    clamp: input.clamp === true,
    estimationEpsilon,
    estimationDelta,
    ...(domains ? { domainDelta: share / domains } : {}),
    effectiveEpsilon: estimationEpsilon + rowEpsilonCharged,
    effectiveDelta: estimationDelta + (amplification.delta ?? 0),
  };
}

function amplify(rowEpsilon: number, q: number, minRows: number, deltaTarget: number): Amplification {
  // The neighbour with one row more or less than a table of minRows rows: minRows - 1 others at least.
  const cost = amplifiedCost({ others: minRows - 1, q, epsilon: rowEpsilon }, deltaTarget);
  if (!cost || cost.epsilon >= rowEpsilon)
    return {
      applied: false,
      rule: `not applied: with ${minRows} rows or more, sampling ${q} of them hides a row only with a delta above ${Number(deltaTarget.toPrecision(3))}; the full row epsilon is charged (more rows, a smaller fraction or a larger delta would let it apply)`,
    };
  return {
    applied: true,
    rule: `applied: every released column is privatised, the rows are Poisson-sampled with CSPRNG coins in the client and released shuffled, and the table has at least ${minRows} rows (min_rows): the release, count included, is (${round(cost.epsilon)}, ${round(cost.delta)})-DP`,
    epsilon: cost.epsilon,
    delta: cost.delta,
    minRows,
  };
}

const round = (x: number) => Number(x.toPrecision(4));

/** A column name that usually identifies a person or a record (snake_case or camelCase). */
export function looksLikeIdentifier(name: string): boolean {
  return (
    /(^|[_\W])(id|uuid|guid|key|ssn|mrn|email|e_?mail|phone|name|surname|address|passport)$/i.test(name) ||
    /[a-z](Id|ID|Uuid|UUID|Key|Name|Email)$/.test(name)
  );
}
