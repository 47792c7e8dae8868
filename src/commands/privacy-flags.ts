/**
 * generate's DP-SGD flags (SPEC sections 2 and 6): declared, checked before any file is read, then
 * turned into the pipeline's privacy request once the table's size and schema are known.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { GesalpError, inputError, usageError } from '../core/errors.js';
import type { Schema } from '../core/schema/schema.js';
import type { Table } from '../core/table.js';
import type { PrivacyRequest } from '../pipeline/privacy-plan.js';
import { MAX_EPSILON } from '../privacy/epsilon-limit.js';
import { PUBLIC_BOUNDS_MAX_BYTES, parsePublicBounds } from '../privacy/preprocessing/public-bounds.js';
import { numberOption, positiveNumber } from './options.js';

export interface PrivacyFlags {
  readonly epsilon?: number;
  readonly delta?: number;
  readonly maxGradNorm?: number;
  readonly totalEpsilon?: number;
  readonly preprocessingFraction?: number;
  readonly publicBounds?: string;
  readonly publicValidation?: string;
}

export const DEFAULT_MAX_GRAD_NORM = 1.0;
export const DEFAULT_PREPROCESSING_FRACTION = 0.1;

const openUnit = numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true });

export function withPrivacyOptions(command: Command): Command {
  return command
    .option(
      '--epsilon <e>',
      'train with DP-SGD: the most epsilon one attempt spends, preprocessing included (the optimizer may lower it, never raise it past this)',
      positiveNumber,
    )
    .option('--delta <d>', 'DP delta of the whole run (default 1/(10 n), n training rows; must be below 1/n)', openUnit)
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
      `share of epsilon spent on the column bounds, quantiles and category lists the public bounds file does not declare (default ${DEFAULT_PREPROCESSING_FRACTION})`,
      openUnit,
    )
    .option(
      '--public-bounds <file>',
      'JSON of column bounds and category lists declared public: no budget spent on them',
    )
    .option(
      '--public-validation <file>',
      'public rows (same columns) that early-stop checkpoints evaluate utility on under DP; without it checkpoints are off',
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
      throw usageError(`${stray[0]} applies only to DP-SGD training`, 'Add --epsilon E to train with DP, or drop it.');
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
  if (plan.attempts > 1 && flags.totalEpsilon === undefined)
    throw usageError(
      `${plan.attempts} DP attempts each spend their own epsilon, and together they add up`,
      `State the most they may spend together with --total-epsilon (at least ${most}), or run one attempt.`,
    );
  if (flags.totalEpsilon !== undefined && flags.totalEpsilon < most)
    throw usageError(
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

/** The request, once the table is read: delta against the training rows, the public files read and checked. */
export function privacyRequest(
  flags: PrivacyFlags,
  plan: PlanShape,
  context: { readonly schema: Schema; readonly trainRows: number; readonly validation?: Table },
): PrivacyRequest {
  const n = context.trainRows;
  const delta = flags.delta ?? 1 / (10 * n);
  if (!(delta < 1 / n))
    throw usageError(
      `--delta ${flags.delta} is not below 1/n = ${Number((1 / n).toPrecision(3))} for ${n} training rows: a delta that large allows releasing a row outright`,
      `Give --delta ${Number((1 / (10 * n)).toPrecision(3))} (1/(10 n), the default) or smaller.`,
    );
  const epsilon = flags.epsilon ?? Math.max(...(plan.gridEpsilons ?? []));
  return {
    epsilon,
    totalEpsilon: flags.totalEpsilon ?? epsilon,
    delta,
    maxGradNorm: flags.maxGradNorm ?? DEFAULT_MAX_GRAD_NORM,
    preprocessingFraction: flags.preprocessingFraction ?? DEFAULT_PREPROCESSING_FRACTION,
    publicBounds: flags.publicBounds
      ? parsePublicBounds(readBoundsFile(flags.publicBounds), flags.publicBounds, context.schema)
      : new Map(),
    ...(flags.publicValidation && context.validation
      ? { validation: { table: context.validation, path: flags.publicValidation } }
      : {}),
  };
}

/** The file's text, refused (exit 3) when it is not a regular file of reasonable size. */
function readBoundsFile(path: string): string {
  const hint = 'Give --public-bounds a JSON file of column bounds and category lists.';
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw inputError(`--public-bounds ${path} is not a regular file`, hint);
    if (stat.size > PUBLIC_BOUNDS_MAX_BYTES)
      throw inputError(
        `--public-bounds ${path} is ${stat.size} bytes, more than ${PUBLIC_BOUNDS_MAX_BYTES}: not a file of bounds`,
        hint,
      );
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof GesalpError) throw error;
    throw inputError(`cannot read --public-bounds ${path}: ${(error as Error).message}`, hint);
  }
}
