/** The generate report's privacy section (snake_case): what the kept attempt spent, what preprocessing spent, and the total. */
import { savedModelError } from '../models/saved-file.js';
import type { FitSummary, TrainingPrivacySummary, ZcdpSummary } from '../models/synthesizer.js';
import type { EstimatedColumn } from '../privacy/preprocessing/preprocess.js';
import type { PrivacyBudget } from './privacy-plan.js';

export interface PrivacyRecord {
  /** What the guarantee protects (SPEC section 8). */
  readonly unit: string;
  /** The training rows calibration used: released (a noisy count) or declared, never the exact count. */
  readonly training_rows: number;
  /** The input's rows as released: how many rows a later sample from the saved model draws by default. */
  readonly input_rows: number;
  readonly training_rows_from: string;
  /** The kept attempt's training: the accountant's figures for its q, sigma and steps (null for a zCDP method). */
  readonly target_epsilon: number;
  readonly spent_epsilon: number;
  readonly delta: number;
  readonly noise_multiplier: number | null;
  readonly sample_rate: number | null;
  readonly steps: number | null;
  readonly max_grad_norm: number | null;
  /** The kept attempt's zCDP account (AIM): rho, each stage's and round's charge; null for DP-SGD. */
  readonly zcdp: ZcdpRecord | null;
  /** The kept attempt's epsilon (preprocessing + training target) and the most one attempt may have. */
  readonly attempt_epsilon: number;
  readonly max_epsilon: number;
  readonly preprocessing: {
    /** What preprocessing spent; when charged in zCDP (`rho`), its share of the attempt stated in epsilon. */
    readonly epsilon: number;
    readonly delta: number;
    /** The share of the attempt (of its epsilon; of its rho when `rho` is set). */
    readonly fraction: number;
    /** Set when preprocessing was charged in zCDP with the training (one AIM attempt): the rho it spent. */
    readonly rho?: number;
    readonly estimated: EstimatedColumn[];
    readonly public: string[];
    readonly placeholder: string;
  };
  /**
   * Every attempt that started: its planned training epsilon is what it is charged (a stop, early
   * or by Ctrl-C, is data-dependent); `spent_epsilon` is the accountant's figure for the steps taken.
   */
  readonly attempts: {
    attempt: number;
    charged_epsilon: number;
    target_epsilon: number;
    spent_epsilon: number;
    delta: number;
  }[];
  /**
   * Sequential composition: preprocessing once plus every attempt's charge; when the run fine-tuned
   * a DP model (--init-from), plus that model's totals (`composition` says so).
   */
  readonly total_epsilon: number;
  readonly total_delta: number;
  /** Present when the run fine-tuned a model trained under DP: this run's totals, the model's, and the rule that adds them. */
  readonly composition?: {
    readonly rule: string;
    readonly this_run_epsilon: number;
    readonly this_run_delta: number;
    readonly init_from_epsilon: number;
    readonly init_from_delta: number;
  };
  /** The most the user allowed every attempt together to spend. */
  readonly total_epsilon_limit: number;
  /** How early stopping ran: never on training rows under DP. */
  readonly early_stop: string;
  /** Why the report's loss curve is absent. */
  readonly loss_curve: string;
}

export const PRIVACY_UNIT =
  'one row of the input file, added or removed: the released rows, model, report and row count together are (epsilon, delta)-DP with respect to it';

export interface ZcdpRecord {
  readonly rho: number;
  readonly spent_rho: number;
  readonly threshold_delta: number;
  readonly conversion: string;
  readonly stages: { stage: string; rho: number; detail: string }[];
  readonly rounds: {
    round: number;
    marginal: string[];
    selection_rho: number;
    measurement_rho: number;
    sigma: number;
  }[];
}

export const LOSS_CURVE_NOTE =
  'left out: the per-epoch loss is computed on training rows outside the accountant, so it is not DP';

export interface TrainedAttempt {
  readonly attempt: number;
  readonly training: FitSummary | null;
}

const round = (x: number): number => Number(x.toPrecision(6));

export function privacyRecord(budget: PrivacyBudget, attempts: readonly TrainedAttempt[], kept: number): PrivacyRecord {
  const spends = attempts.flatMap((a) => (a.training?.privacy ? [{ attempt: a.attempt, p: a.training.privacy }] : []));
  const keptSpend = spends.find((s) => s.attempt === kept)?.p;
  if (!keptSpend) throw new Error(`attempt ${kept} has no DP-SGD summary`);
  const pre = budget.preprocessing;
  // Charged: each started attempt's planned target, never the smaller figure for the steps it took.
  const trainingTotal = spends.reduce((sum, s) => sum + s.p.targetEpsilon, 0);
  const { validation } = budget.request;
  return {
    unit: PRIVACY_UNIT,
    training_rows: budget.trainRows,
    input_rows: budget.releasedRows,
    training_rows_from: budget.trainRowsHow,
    ...trainingFigures(keptSpend),
    attempt_epsilon: round(pre.epsilon + keptSpend.targetEpsilon),
    max_epsilon: budget.request.epsilon,
    preprocessing: {
      epsilon: round(pre.epsilon),
      delta: pre.delta,
      fraction: pre.fraction,
      ...(budget.zcdpPrior ? { rho: round(budget.zcdpPrior.rho) } : {}),
      estimated: pre.estimated.map((c) => ({ ...c, epsilon: round(c.epsilon) })),
      public: pre.public,
      placeholder: pre.placeholder,
    },
    attempts: spends.map((s) => ({
      attempt: s.attempt,
      charged_epsilon: round(s.p.targetEpsilon),
      target_epsilon: round(s.p.targetEpsilon),
      spent_epsilon: round(s.p.spentEpsilon),
      delta: s.p.delta,
    })),
    total_epsilon: round(pre.epsilon + trainingTotal),
    total_delta: budget.delta,
    total_epsilon_limit: budget.request.totalEpsilon,
    early_stop: validation
      ? `checkpoints and attempts are judged on the utility of the public validation table ${validation.path}`
      : 'off: checkpoints would evaluate on training rows outside the accountant; one attempt, judged by nothing private',
    loss_curve: LOSS_CURVE_NOTE,
  };
}

/** The training figures of a DP summary as the record gives them (also the source path's, source-privacy-record.ts). */
export function trainingFigures(p: TrainingPrivacySummary) {
  const optional = (x: number | undefined) => (x === undefined ? null : round(x));
  return {
    target_epsilon: round(p.targetEpsilon),
    spent_epsilon: round(p.spentEpsilon),
    delta: p.delta,
    noise_multiplier: optional(p.noiseMultiplier),
    sample_rate: optional(p.sampleRate),
    steps: p.steps ?? null,
    max_grad_norm: p.maxGradNorm ?? null,
    zcdp: p.zcdp ? zcdpRecord(p.zcdp) : null,
  };
}

function zcdpRecord(z: ZcdpSummary): ZcdpRecord {
  return {
    rho: round(z.rho),
    spent_rho: round(z.spentRho),
    threshold_delta: z.thresholdDelta,
    conversion: z.conversion,
    stages: z.stages.map((s) => ({ ...s, rho: round(s.rho) })),
    rounds: z.rounds.map((r) => ({
      round: r.round,
      marginal: r.marginal,
      selection_rho: round(r.selectionRho),
      measurement_rho: round(r.measurementRho),
      sigma: round(r.sigma),
    })),
  };
}

/** A model folder's privacy.json: the record generate wrote, checked for the figures a later report restates. */
export function parsePrivacyRecord(value: unknown, path: string): PrivacyRecord {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const numbers = ['total_epsilon', 'total_delta', 'target_epsilon', 'spent_epsilon', 'input_rows'];
  // DP-SGD records its noise multiplier; a zCDP method (aim) records null there and its account under zcdp.
  const noise = record.noise_multiplier;
  if (
    typeof record.unit !== 'string' ||
    numbers.some((key) => typeof record[key] !== 'number') ||
    !(typeof noise === 'number' || (noise === null && typeof record.zcdp === 'object' && record.zcdp !== null))
  )
    throw savedModelError(`${path} is not the DP record of a saved model (unit, ${numbers.join(', ')})`);
  return record as unknown as PrivacyRecord;
}

const shown = (x: number): string => String(Number(x.toPrecision(4)));

/**
 * How preprocessing was charged, in words (the terminal and the HTML page say the same): in
 * epsilon at its share of the first attempt, or (one AIM attempt) in zCDP within the attempt's
 * account, the noisy row count in epsilon beside it.
 */
export function preprocessingCharge(p: PrivacyRecord): string {
  const pre = p.preprocessing;
  if (pre.rho === undefined || p.zcdp === null)
    return `epsilon ${shown(pre.epsilon)} (${shown(pre.fraction * 100)} % of the first attempt's)`;
  const count = pre.estimated.find((e) => e.column === '(rows)');
  const beside = count
    ? `, and the noisy row count epsilon ${shown(count.epsilon)} beside the account (delta is set from it)`
    : '';
  return `zCDP rho ${shown(pre.rho)} (${shown((100 * pre.rho) / p.zcdp.rho)} % of the attempt's zCDP account, each release at epsilon e charged e^2/2)${beside}: epsilon ${shown(pre.epsilon)} of the attempt in all`;
}
