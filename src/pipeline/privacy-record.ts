/** The generate report's privacy section (snake_case): what the kept attempt spent, what preprocessing spent, and the total. */
import type { FitSummary, TrainingPrivacySummary, ZcdpSummary } from '../models/synthesizer.js';
import type { EstimatedColumn } from '../privacy/preprocessing/preprocess.js';
import type { PrivacyBudget } from './privacy-plan.js';

export interface PrivacyRecord {
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
    readonly epsilon: number;
    readonly delta: number;
    readonly fraction: number;
    readonly estimated: EstimatedColumn[];
    readonly public: string[];
    readonly placeholder: string;
  };
  /** Every trained attempt's training spend: each counts toward the total. */
  readonly attempts: { attempt: number; target_epsilon: number; spent_epsilon: number; delta: number }[];
  /** Sequential composition: preprocessing once plus every attempt's training spend. */
  readonly total_epsilon: number;
  readonly total_delta: number;
  /** The most the user allowed every attempt together to spend. */
  readonly total_epsilon_limit: number;
  /** How early stopping ran: never on training rows under DP. */
  readonly early_stop: string;
  /** Why the report's loss curve is absent. */
  readonly loss_curve: string;
}

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
  const trainingTotal = spends.reduce((sum, s) => sum + s.p.spentEpsilon, 0);
  const { validation } = budget.request;
  return {
    ...trainingFigures(keptSpend),
    attempt_epsilon: round(pre.epsilon + keptSpend.targetEpsilon),
    max_epsilon: budget.request.epsilon,
    preprocessing: {
      epsilon: round(pre.epsilon),
      delta: pre.delta,
      fraction: pre.fraction,
      estimated: pre.estimated.map((c) => ({ ...c, epsilon: round(c.epsilon) })),
      public: pre.public,
      placeholder: pre.placeholder,
    },
    attempts: spends.map((s) => ({
      attempt: s.attempt,
      target_epsilon: round(s.p.targetEpsilon),
      spent_epsilon: round(s.p.spentEpsilon),
      delta: s.p.delta,
    })),
    total_epsilon: round(pre.epsilon + trainingTotal),
    total_delta: pre.delta + spends.reduce((sum, s) => sum + s.p.delta, 0),
    total_epsilon_limit: budget.request.totalEpsilon,
    early_stop: validation
      ? `checkpoints evaluate utility on the public validation table ${validation.path}`
      : 'off: checkpoints would evaluate on training rows outside the accountant',
    loss_curve: LOSS_CURVE_NOTE,
  };
}

function trainingFigures(p: TrainingPrivacySummary) {
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
