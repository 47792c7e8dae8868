/**
 * generate's DP flags (SPEC sections 2, 6 and 8): declared, checked before any file is read, then
 * turned into the pipeline's privacy request. The row count, delta's default and everything about
 * the columns are the pipeline's: under DP they are declared public or released, never read.
 */
import type { Command } from 'commander';
import { GesalpError, usageError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { REGISTRY, type MethodId } from '../models/registry.js';
import type { PrivacyRequest } from '../pipeline/privacy-plan.js';
import { MAX_EPSILON } from '../privacy/epsilon-limit.js';
import { numberOption, positiveNumber } from './options.js';

export interface PrivacyFlags {
  readonly epsilon?: number;
  readonly delta?: number;
  readonly maxGradNorm?: number;
  readonly totalEpsilon?: number;
  readonly preprocessingFraction?: number;
  readonly publicBounds?: string;
  readonly publicValidation?: string;
  /** A file, or true for the default name beside the synthetic rows. */
  readonly privateReport?: string | true;
}

export const DEFAULT_MAX_GRAD_NORM = 1.0;
export const DEFAULT_PREPROCESSING_FRACTION = 0.2;

const openUnit = numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true });

export function withPrivacyOptions(command: Command): Command {
  return command
    .option(
      '--epsilon <e>',
      'train with DP-SGD: the most epsilon one attempt spends, preprocessing included (the optimizer may lower it, never raise it past this)',
      positiveNumber,
    )
    .option(
      '--delta <d>',
      'DP delta of the whole run (default 1/(10 n), n the released count of training rows; must be below 1/n)',
      openUnit,
    )
    .option(
      '--max-grad-norm <c>',
      `DP-SGD per-example gradient norm bound C (default ${DEFAULT_MAX_GRAD_NORM})`,
      positiveNumber,
    )
    .option(
      '--total-epsilon <e>',
      'the most every DP attempt together may spend (needed with --max-attempts, --optimize or --grid under DP)',
      positiveNumber,
    )
    .option(
      '--preprocessing-fraction <f>',
      `share of the first attempt's epsilon spent on what is not declared public: the row count, column kinds and rounding, bounds, quantiles and category lists (default ${DEFAULT_PREPROCESSING_FRACTION})`,
      openUnit,
    )
    .option(
      '--public-bounds <file>',
      'metadata JSON (gesalp schema) of column kinds, bounds and category lists declared public: no budget spent on them',
    )
    .option(
      '--public-validation <file>',
      'public rows (same columns, not from the input) that alone judge checkpoints and attempts under DP; without it checkpoints are off and one attempt runs',
    )
    .option(
      '--private-report [file]',
      'under DP, also write the metrics against the private rows to this file (default <out stem>.private-report.json): NOT covered by the guarantee',
    );
}

/** The attempt plan's shape, for the checks that depend on it. */
export interface PlanShape {
  /** Attempts the plan may run. */
  readonly attempts: number;
  readonly grid: boolean;
  /** Each grid point's epsilon, when the grid has an epsilon axis. */
  readonly gridEpsilons: readonly number[] | null;
  readonly loadModel: boolean;
}

/** Whether the run trains with DP-SGD: --epsilon, or a grid over epsilon. */
export const wantsPrivacy = (flags: PrivacyFlags, plan: PlanShape): boolean =>
  flags.epsilon !== undefined || plan.gridEpsilons !== null;

/** Whether the run trains under DP, from the flags alone (before the method's space is known): --epsilon, or a grid over epsilon. */
export const trainsPrivately = (flags: PrivacyFlags & { readonly grid?: readonly string[] }): boolean =>
  flags.epsilon !== undefined || (flags.grid ?? []).some((axis) => /^\s*epsilon\s*=/.test(axis));

/** Checks that need nothing but the flags, before any file is read. */
export function checkPrivacyFlags(flags: PrivacyFlags, plan: PlanShape): void {
  const dp = wantsPrivacy(flags, plan);
  if (!dp) {
    const stray = (
      [
        ['--delta', flags.delta],
        ['--max-grad-norm', flags.maxGradNorm],
        ['--total-epsilon', flags.totalEpsilon],
        ['--preprocessing-fraction', flags.preprocessingFraction],
        ['--public-bounds', flags.publicBounds],
        ['--public-validation', flags.publicValidation],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray)
      throw usageError(
        `${stray[0]} applies only to training under DP`,
        'Add --epsilon E to train with DP, or drop it.',
      );
    if (flags.privateReport !== undefined && !plan.loadModel)
      throw usageError(
        '--private-report applies only under DP: without it the report holds these metrics already',
        'Add --epsilon E to train with DP, or drop --private-report.',
      );
    return;
  }
  if (plan.loadModel)
    throw usageError(
      '--epsilon trains a new model; a loaded model is not retrained',
      'Drop --load-model to train with DP, or drop --epsilon.',
    );
  if (flags.epsilon !== undefined && plan.gridEpsilons !== null)
    throw usageError('--epsilon and --grid both set epsilon', 'Drop --epsilon, or drop epsilon from --grid.');
  const bad = plan.gridEpsilons?.find((e) => !(e > 0));
  if (bad !== undefined)
    throw usageError(`--grid epsilon=${bad}: epsilon must be > 0`, 'Write it as --grid epsilon=1,2,5.');
  const most = flags.epsilon ?? Math.max(...(plan.gridEpsilons ?? []));
  if (most > MAX_EPSILON)
    throw usageError(
      `${flags.epsilon !== undefined ? '--epsilon' : '--grid epsilon'} ${most} is above ${MAX_EPSILON}, the largest epsilon gesalp accepts: the noise would be negligible and the run DP in name only`,
      `Give an epsilon of at most ${MAX_EPSILON} (1 to 10 is usual), or drop --epsilon to train without DP.`,
    );
  // Choosing between DP attempts on the private rows would be a release the budget does not cover.
  if (plan.attempts > 1 && flags.publicValidation === undefined)
    throw usageError(
      `${plan.attempts} DP attempts need public rows to choose between them: a choice made on the private rows is not covered by the budget`,
      'Give --public-validation FILE (public rows with the same columns, not from the input), or run one attempt.',
    );
  if (plan.attempts > 1 && flags.totalEpsilon === undefined)
    throw usageError(
      `${plan.attempts} DP attempts each spend their own epsilon, and together they add up`,
      `State the most they may spend together with --total-epsilon (at least ${most}), or run one attempt.`,
    );
  // One attempt alone would pass the stated budget: exit 5, as for a grid past it (SPEC section 2).
  if (flags.totalEpsilon !== undefined && flags.totalEpsilon < most)
    throw new GesalpError(
      'budget',
      `--total-epsilon ${flags.totalEpsilon} is below the ${most} one attempt may spend`,
      `Give --total-epsilon ${most} or more, or a smaller epsilon.`,
    );
  // A grid's points are all trained: what they may spend together is known before anything runs.
  const points = plan.grid ? (plan.gridEpsilons ?? new Array<number>(plan.attempts).fill(most)) : [];
  const gridTotal = Number(points.reduce((a, b) => a + b, 0).toPrecision(6));
  if (flags.totalEpsilon !== undefined && gridTotal > flags.totalEpsilon * (1 + 1e-12))
    throw new GesalpError(
      'budget',
      `the grid's ${points.length} DP attempts may spend epsilon ${gridTotal} together, past --total-epsilon ${flags.totalEpsilon}`,
      `Raise --total-epsilon to ${gridTotal}, or grid over fewer or smaller epsilons.`,
    );
}

/** The request: the budget's flags and the public validation rows, if any (their path as the report names them). */
export function privacyRequest(flags: PrivacyFlags, plan: PlanShape, validation?: Table): PrivacyRequest {
  const epsilon = flags.epsilon ?? Math.max(...(plan.gridEpsilons ?? []));
  return {
    epsilon,
    totalEpsilon: flags.totalEpsilon ?? epsilon,
    ...(flags.delta !== undefined ? { delta: flags.delta } : {}),
    maxGradNorm: flags.maxGradNorm ?? DEFAULT_MAX_GRAD_NORM,
    preprocessingFraction: flags.preprocessingFraction ?? DEFAULT_PREPROCESSING_FRACTION,
    ...(flags.publicValidation && validation
      ? { validation: { table: validation, path: flags.publicValidation } }
      : {}),
  };
}

/** Checks that need the method: only DP-SGD clips gradients, so a bound for a method without them is refused. */
export function checkMethodPrivacyFlags(flags: PrivacyFlags, method: MethodId): void {
  if (flags.maxGradNorm !== undefined && REGISTRY.get(method).capabilities.dp !== 'dp-sgd') {
    const dpSgd = REGISTRY.methods.filter((m) => m.capabilities.dp === 'dp-sgd').map((m) => m.id);
    throw usageError(
      `--max-grad-norm does not apply to method ${method}: it bounds DP-SGD's per-example gradients, and ${method} trains no gradients`,
      `Drop --max-grad-norm, or choose a DP-SGD method (--method ${dpSgd.join(', ')}).`,
    );
  }
}
