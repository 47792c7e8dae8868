/** Between attempts: what the optimizer makes of an attempt, and the parameters of the next. */
import type { Thresholds } from '../core/config.js';
import type { MethodId } from '../models/registry.js';
import { DP_TRAINING, TRAINABLE_METHODS } from '../models/registry.js';
import { paramValues, type ResolvedParam } from '../models/resolve-params.js';
import { applyChanges, diagnose, type Analysis } from '../optimizer/diagnose.js';
import { DEFAULT_TIME_BUDGET_SECONDS, type Situation } from '../optimizer/situation.js';
import type { Change } from '../optimizer/rule.js';
import { metricValues, type AttemptOutcome } from './generate-attempt.js';

export function situationOf(
  outcome: AttemptOutcome,
  method: MethodId,
  thresholds: Thresholds,
  trainRows: number,
  columns: number,
): Situation {
  return {
    method,
    metrics: outcome.evaluation ? metricValues(outcome.evaluation) : {},
    thresholds,
    params: paramValues(outcome.params),
    trainRows,
    columns,
    dp: null,
    trainSeconds: outcome.training?.seconds ?? null,
    timeBudgetSeconds: DEFAULT_TIME_BUDGET_SECONDS,
    samplesAtEdges: outcome.edgeError !== null,
    trainingInterrupted: outcome.training?.stopped ?? false,
    // This build trains TabDDPM only, without DP-SGD: the optimizer skips levers it cannot pull.
    can: { methods: TRAINABLE_METHODS, dp: DP_TRAINING },
  };
}

export interface NextAttempt {
  readonly analysis: Analysis;
  /** Null when no rule has a change left to make. */
  readonly params: ResolvedParam[] | null;
  readonly changes: Change[];
}

export function nextAttempt(outcome: AttemptOutcome, situation: Situation): NextAttempt {
  const analysis = diagnose(situation);
  const changes = analysis.changes.filter((c) => typeof c.to === 'number' && c.param in situation.params);
  if (!changes.length) return { analysis, params: null, changes };
  const values = applyChanges(situation.params, changes);
  const params = outcome.params.map((p) => {
    const change = changes.find((c) => c.param === p.name);
    return change
      ? { name: p.name, value: values[p.name], source: `${change.rule} (after attempt ${outcome.attempt})` }
      : p;
  });
  return { analysis, params, changes };
}
