/** The privacy section of the metadata and the audit log: what was released, how, and what it cost. */
import type { PrivacyPlan } from './privacy-plan.js';

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
    amplification: { applied: plan.amplification.applied, rule: plan.amplification.rule },
    raw_columns: plan.rawColumns,
    estimation_epsilon: plan.estimationEpsilon,
    effective_epsilon: plan.effectiveEpsilon,
    ...(plan.delta !== undefined ? { delta: plan.delta } : {}),
    columns: plan.columns.map((c) => ({
      column: c.name,
      mechanism: c.mechanism,
      epsilon: c.epsilon,
      ...(c.mechanism === 'laplace'
        ? {
            bounds: c.bounds ?? 'estimated at run time',
            laplace_scale: c.bounds ? (c.bounds[1] - c.bounds[0]) / c.epsilon : null,
          }
        : { domain: c.domain ?? 'estimated at run time' }),
      source: c.source,
      estimation_epsilon: c.estimationEpsilon,
    })),
  };
}
