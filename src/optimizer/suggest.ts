/**
 * gesalp suggest's library side: the parameters for a method and a training set, each with the
 * rule that produced it; from a previous run, the optimizer's changes on top of its parameters;
 * with a target epsilon, the DP-SGD settings the accountant gives.
 */
import { usageError } from '../core/errors.js';
import type { MethodDescriptor, TimeEstimate } from '../models/descriptor.js';
import { REGISTRY, type MethodId, type Registry } from '../models/registry.js';
import { STEP_CAP } from '../models/size-rule.js';
import { epsilonSpent, noiseForEpsilon } from '../privacy/rdp-accountant.js';
import { analysisRecord, applyChanges, diagnose, type Analysis, type AnalysisRecord } from './diagnose.js';
import type { Situation } from './situation.js';
import { sizeDefaults } from './size-defaults.js';

/** Below this many epochs TabDDPM rarely learns a table (SPEC: warn, do not fail). */
const FEW_EPOCHS = 300;

/**
 * The SPEC's warning under 300 epochs; `source`: the rule that set n_iter. A step-capped default
 * (SPEC section 10: a large table's epochs are few, its steps are not) is no reason to warn.
 */
export const fewEpochsWarning = (epochs: number, source?: string): string | null =>
  epochs < FEW_EPOCHS && !source?.includes(STEP_CAP)
    ? `n_iter ${epochs} is below ${FEW_EPOCHS}: the model may not learn the distribution`
    : null;

export interface SuggestRequest {
  readonly method: MethodId;
  readonly trainRows: number;
  readonly columns: number;
  /** The model's input width (numeric columns + one-hot spans) when the table is known. */
  readonly inputWidth?: number;
  readonly previous?: Situation;
  readonly dp?: { readonly epsilon: number; readonly delta?: number; readonly maxGradNorm: number };
  /** The methods to advise on (default: the shipped ones). */
  readonly registry?: Registry;
}

export interface SuggestedParam {
  readonly name: string;
  readonly value: number;
  readonly source: string;
}

export interface DpPlan {
  readonly epsilon: number;
  readonly delta: number;
  readonly noise_multiplier: number;
  readonly sample_rate: number;
  readonly steps: number;
  readonly max_grad_norm: number;
  readonly epsilon_spent: number;
  readonly rdp_order: number;
}

export interface Suggestion {
  readonly method: MethodId;
  readonly train_rows: number;
  readonly columns: number;
  readonly parameters: SuggestedParam[];
  readonly analysis: AnalysisRecord | null;
  readonly dp: DpPlan | null;
  readonly estimate: TimeEstimate | null;
  readonly warnings: string[];
}

export function suggest(request: SuggestRequest): Suggestion {
  const { method, trainRows, columns } = request;
  const descriptor = (request.registry ?? REGISTRY).get(method);
  const analysis: Analysis | null = request.previous ? diagnose(request.previous) : null;
  // A previous run without a method (an evaluation report) has no parameters to start from.
  const previous = request.previous?.method ? request.previous : null;
  const warnings: string[] = [];
  if (request.previous && !previous)
    warnings.push(
      `the previous report names no method (it judges rows, whoever made them): these are ${method}'s defaults for the table and the analysis changes no parameter; name the method for its rules`,
    );
  const parameters: SuggestedParam[] =
    previous && analysis
      ? Object.entries(applyChanges(previous.params, analysis.changes)).map(([name, value]) => {
          const change = analysis.changes.find((c) => c.param === name);
          return { name, value, source: change ? `${change.rule} (was ${change.from})` : 'previous run' };
        })
      : Object.entries(sizeDefaults(descriptor, trainRows, columns, Boolean(request.dp))).map(([name, d]) => ({
          name,
          value: d.value,
          source: d.rule,
        }));
  const values = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
  const nIterSource = parameters.find((p) => p.name === 'n_iter')?.source;
  const few = fewEpochsWarning(values.n_iter, nIterSource);
  if (few) warnings.push(few);
  // The DP-SGD plan (noise multiplier, steps) is for DP-SGD methods; AIM accounts in zCDP as it runs.
  const dp = request.dp && descriptor.capabilities.dp === 'dp-sgd' ? dpPlan(request.dp, values, trainRows) : null;
  if (dp && dp.noise_multiplier > 5)
    warnings.push(
      `noise multiplier ${dp.noise_multiplier.toFixed(2)} is high: expect weak utility; fewer epochs or a larger batch lowers it`,
    );
  const estimate = withRule(
    trainingEstimate(descriptor, values, trainRows, request.inputWidth ?? columns),
    nIterSource,
  );
  return {
    method,
    train_rows: trainRows,
    columns,
    parameters,
    analysis: analysis && analysisRecord(analysis),
    dp,
    estimate,
    warnings,
  };
}

/**
 * The method's own training-time estimate (its descriptor's `estimateSeconds`), null where it has
 * none; `npm run bench methods` calls this too, to record the estimate beside the measured time.
 */
export const trainingEstimate = (
  descriptor: MethodDescriptor,
  params: Readonly<Record<string, number>>,
  trainRows: number,
  inputWidth: number,
): TimeEstimate | null => descriptor.estimateSeconds?.(params, trainRows, inputWidth) ?? null;

/** The estimate says which rule set its epochs (a step cap on a large table: SPEC section 10). */
const withRule = (estimate: TimeEstimate | null, source: string | undefined): TimeEstimate | null =>
  estimate && source ? { ...estimate, basis: `n_iter from ${source}; ${estimate.basis}` } : estimate;

/** Poisson sampling at q = batch / rows for n_iter epochs (1/q steps each), noise from the accountant. */
function dpPlan(dp: NonNullable<SuggestRequest['dp']>, values: Record<string, number>, trainRows: number): DpPlan {
  const q = Math.min(1, values.batch_size / trainRows);
  const steps = Math.max(1, Math.round(values.n_iter / q));
  const delta = dp.delta ?? Math.min(1e-5, 1 / (10 * trainRows));
  const sigma = reachableNoise(dp.epsilon, q, steps, delta);
  const spent = epsilonSpent(q, sigma, steps, delta);
  return {
    epsilon: dp.epsilon,
    delta,
    noise_multiplier: sigma,
    sample_rate: q,
    steps,
    max_grad_norm: dp.maxGradNorm,
    epsilon_spent: spent.epsilon,
    rdp_order: spent.order,
  };
}

/** The accountant gives up (RangeError) when no noise multiplier meets the target: a request to change, not a bug. */
function reachableNoise(epsilon: number, q: number, steps: number, delta: number): number {
  try {
    return noiseForEpsilon(epsilon, q, steps, delta);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw usageError(
      `epsilon ${epsilon} cannot be met by DP-SGD at sample rate ${q.toPrecision(3)} over ${steps} steps (delta ${delta}): ${error.message}`,
      'Raise the target epsilon, or train fewer epochs or with a smaller batch.',
    );
  }
}
