/**
 * generate's budget options (SPEC sections 2, 6 and 8), checked before any file is read and turned
 * into the pipeline's privacy request. The row count, delta's default and everything about the
 * columns are the pipeline's: under DP they are declared public or released, never read. Errors
 * name options as `{name}`: the CLI prints its flags there.
 */
import { optionError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { plannedAttempts, type AttemptPlan } from '../pipeline/attempt-plan.js';
import type { PrivacyRequest } from '../pipeline/privacy-plan.js';
import { MAX_EPSILON } from '../privacy/epsilon-limit.js';

/** DP-SGD's per-example gradient bound and the preprocessing share when not given (SPEC section 6). */
export const DEFAULT_MAX_GRAD_NORM = 1.0;
export const DEFAULT_PREPROCESSING_FRACTION = 0.2;

export interface PrivacyOptions {
  readonly epsilon?: number;
  readonly delta?: number;
  readonly max_grad_norm?: number;
  readonly total_epsilon?: number;
  readonly preprocessing_fraction?: number;
  /** Options that mean something only under DP, by name (public validation rows, public bounds). */
  readonly dp_only?: Readonly<Record<string, unknown>>;
  /** Whether the metrics against the private rows are asked for. */
  readonly private_report?: boolean;
}

/** The attempt plan's shape, for the checks that depend on it. */
export interface PlanShape {
  /** Attempts the plan may run. */
  readonly attempts: number;
  readonly grid: boolean;
  /** Each grid point's epsilon, when the grid has an epsilon axis. */
  readonly gridEpsilons: readonly number[] | null;
  readonly loadModel: boolean;
  /** Public validation rows are given. */
  readonly publicValidation: boolean;
}

export function planShape(plan: AttemptPlan, loadModel: boolean, publicValidation: boolean): PlanShape {
  const grid = plan.kind === 'grid';
  const epsilons = grid ? plan.points.map((p) => p.epsilon) : [];
  return {
    attempts: plannedAttempts(plan),
    grid,
    gridEpsilons: epsilons.length && epsilons.every((e) => e !== undefined) ? epsilons : null,
    loadModel,
    publicValidation,
  };
}

/** Whether the run trains under DP: an epsilon, or a grid over epsilon. */
export const wantsPrivacy = (options: PrivacyOptions, plan: PlanShape): boolean =>
  options.epsilon !== undefined || plan.gridEpsilons !== null;

/** Checks that need nothing but the options, before any file is read. */
export function checkPrivacyOptions(options: PrivacyOptions, plan: PlanShape): void {
  if (!wantsPrivacy(options, plan)) {
    const only = {
      delta: options.delta,
      max_grad_norm: options.max_grad_norm,
      total_epsilon: options.total_epsilon,
      preprocessing_fraction: options.preprocessing_fraction,
      ...options.dp_only,
    };
    const stray = Object.entries(only).find(([, value]) => value !== undefined)?.[0];
    if (stray)
      throw optionError(
        'usage',
        stray,
        `{${stray}} applies only to training under DP`,
        'Add {epsilon} E to train with DP, or drop it.',
        ['epsilon'],
      );
    if (options.private_report && !plan.loadModel)
      throw optionError(
        'usage',
        'private_report',
        '{private_report} applies only under DP: without it the report holds these metrics already',
        'Add {epsilon} E to train with DP, or drop {private_report}.',
        ['epsilon'],
      );
    return;
  }
  if (plan.loadModel)
    throw optionError(
      'usage',
      'epsilon',
      '{epsilon} trains a new model; a loaded model is not retrained',
      'Drop {load_model} to train with DP, or drop {epsilon}.',
      ['load_model'],
    );
  if (options.epsilon !== undefined && plan.gridEpsilons !== null)
    throw optionError(
      'usage',
      'grid',
      '{epsilon} and {grid} both set epsilon',
      'Drop {epsilon}, or drop epsilon from {grid}.',
      ['epsilon'],
    );
  const bad = plan.gridEpsilons?.find((e) => !(e > 0));
  if (bad !== undefined)
    throw optionError(
      'usage',
      'grid',
      `{grid} epsilon=${bad}: epsilon must be > 0`,
      'Write it as {grid} epsilon=1,2,5.',
    );
  const most = options.epsilon ?? Math.max(...(plan.gridEpsilons ?? []));
  if (most > MAX_EPSILON)
    throw optionError(
      'usage',
      options.epsilon !== undefined ? 'epsilon' : 'grid',
      `${options.epsilon !== undefined ? '{epsilon}' : '{grid} epsilon'} ${most} is above ${MAX_EPSILON}, the largest epsilon gesalp accepts: the noise would be negligible and the run DP in name only`,
      `Give an epsilon of at most ${MAX_EPSILON} (1 to 10 is usual), or drop {epsilon} to train without DP.`,
      ['epsilon', 'grid'],
    );
  // Choosing between DP attempts on the private rows would be a release the budget does not cover.
  if (plan.attempts > 1 && !plan.publicValidation)
    throw optionError(
      'usage',
      'public_validation',
      `${plan.attempts} DP attempts need public rows to choose between them: a choice made on the private rows is not covered by the budget`,
      'Give {public_validation} FILE (public rows with the same columns, not from the input), or run one attempt.',
    );
  if (plan.attempts > 1 && options.total_epsilon === undefined)
    throw optionError(
      'usage',
      'total_epsilon',
      `${plan.attempts} DP attempts each spend their own epsilon, and together they add up`,
      `State the most they may spend together with {total_epsilon} (at least ${most}), or run one attempt.`,
    );
  // One attempt alone would pass the stated budget: exit 5, as for a grid past it (SPEC section 2).
  if (options.total_epsilon !== undefined && options.total_epsilon < most)
    throw optionError(
      'budget',
      'total_epsilon',
      `{total_epsilon} ${options.total_epsilon} is below the ${most} one attempt may spend`,
      `Give {total_epsilon} ${most} or more, or a smaller epsilon.`,
    );
  // A grid's points are all trained: what they may spend together is known before anything runs.
  const points = plan.grid ? (plan.gridEpsilons ?? new Array<number>(plan.attempts).fill(most)) : [];
  const gridTotal = Number(points.reduce((a, b) => a + b, 0).toPrecision(6));
  if (options.total_epsilon !== undefined && gridTotal > options.total_epsilon * (1 + 1e-12))
    throw optionError(
      'budget',
      'total_epsilon',
      `the grid's ${points.length} DP attempts may spend epsilon ${gridTotal} together, past {total_epsilon} ${options.total_epsilon}`,
      `Raise {total_epsilon} to ${gridTotal}, or grid over fewer or smaller epsilons.`,
    );
}

/** The pipeline's request: the budget's options and the public validation rows, if any. */
export function privacyRequest(
  options: PrivacyOptions,
  plan: PlanShape,
  validation?: { readonly table: Table; readonly path: string },
): PrivacyRequest {
  const epsilon = options.epsilon ?? Math.max(...(plan.gridEpsilons ?? []));
  return {
    epsilon,
    totalEpsilon: options.total_epsilon ?? epsilon,
    ...(options.delta !== undefined ? { delta: options.delta } : {}),
    maxGradNorm: options.max_grad_norm ?? DEFAULT_MAX_GRAD_NORM,
    preprocessingFraction: options.preprocessing_fraction ?? DEFAULT_PREPROCESSING_FRACTION,
    ...(validation ? { validation } : {}),
  };
}
