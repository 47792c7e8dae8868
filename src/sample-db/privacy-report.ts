/** The privacy section of the metadata and the audit log: what was released, how, and what it cost. */
import type { Amplification, PrivacyPlan } from './privacy-plan.js';

/** Which amplification rule applied; when it did, the (epsilon, delta) of the sampled release and how it was sampled. */
const amplificationReport = (a: Amplification): Record<string, unknown> => ({
  applied: a.applied,
  rule: a.rule,
  ...(a.applied
    ? {
        epsilon: a.epsilon,
        delta: a.delta,
        min_rows: a.minRows,
        sampler: 'a CSPRNG coin per row, in the client',
        order: 'shuffled with the CSPRNG',
      }
    : {}),
});

export function privacyReport(plan: PrivacyPlan | null): Record<string, unknown> {
  if (!plan)
    return {
      release: 'raw',
      note: 'released as stored by explicit choice (--raw): no column is privatised and nothing is charged to the budget',
    };
  return {
    release: 'privatised',
    epsilon: plan.epsilon,
    q: plan.q,
    row_epsilon: plan.rowEpsilon,
    row_epsilon_charged: plan.rowEpsilonCharged,
    amplification: amplificationReport(plan.amplification),
    raw_columns: plan.rawColumns,
    estimation_epsilon: plan.estimationEpsilon,
    estimation_delta: plan.estimationDelta,
    effective_epsilon: plan.effectiveEpsilon,
    effective_delta: plan.effectiveDelta,
    ...(plan.domainDelta !== undefined ? { delta: plan.domainDelta } : {}),
    columns: plan.columns.map((c) => ({
      column: c.name,
      mechanism: c.mechanism,
      epsilon: c.epsilon,
      ...(c.mechanism === 'laplace'
        ? {
            bounds: c.bounds ?? 'estimated at run time',
            laplace_scale: c.bounds
              ? (c.bounds[1] - c.bounds[0]) / c.epsilon
              : 'set at run time, from the bounds estimated then',
          }
        : { domain: c.domain ?? 'estimated at run time' }),
      source: c.source,
      estimation_epsilon: c.estimationEpsilon,
    })),
  };
}
