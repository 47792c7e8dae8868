/**
 * generate's DP flags (SPEC sections 2, 6 and 8): declared here, checked and turned into the
 * pipeline's request by the library (src/api/privacy-options.ts), whose errors name these flags.
 */
import type { Command } from 'commander';
import { DEFAULT_MAX_GRAD_NORM, DEFAULT_PREPROCESSING_FRACTION, type PrivacyOptions } from '../api/privacy-options.js';
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

/** The budget flags as the library's options, for its checks (which the CLI words with these flags). */
export const privacyOptions = (flags: PrivacyFlags): PrivacyOptions => ({
  epsilon: flags.epsilon,
  delta: flags.delta,
  max_grad_norm: flags.maxGradNorm,
  total_epsilon: flags.totalEpsilon,
  preprocessing_fraction: flags.preprocessingFraction,
  dp_only: { public_bounds: flags.publicBounds, public_validation: flags.publicValidation },
  private_report: flags.privateReport !== undefined,
});
