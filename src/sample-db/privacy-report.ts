/** The privacy section of the metadata and the audit log: what was released, how, and what it cost. */
import { columnFigures } from './column-figures.js';
import type { Amplification, PrivacyPlan, SensitiveColumn } from './privacy-plan.js';

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
      note: 'released as stored by explicit choice (raw): no column is privatised and nothing is charged to the budget',
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
    clamp: plan.clamp,
    columns: plan.columns.map(columnReport),
  };
}

/** One sensitive column: its mechanism, and the figures that say what it does to a released value. */
function columnReport(c: SensitiveColumn): Record<string, unknown> {
  const f = columnFigures(c);
  const common = { column: c.name, mechanism: c.mechanism, epsilon: c.epsilon };
  const estimation = { source: c.source, estimation_epsilon: c.estimationEpsilon };
  if (f.mechanism === 'laplace')
    return {
      ...common,
      bounds: f.bounds ?? 'estimated at run time',
      bounds_from: f.boundsFrom,
      laplace_scale: f.scale ?? 'set at run time, from the bounds estimated then',
      scale_to_range: f.scaleToRange,
      ...(f.medianNoise !== undefined ? { median_noise: f.medianNoise } : {}),
      clamp: f.clamp,
      ...estimation,
    };
  return {
    ...common,
    domain: c.domain ?? 'estimated at run time',
    domain_from: f.domainFrom,
    categories: f.categories ?? 'set at run time: the estimated categories and missing',
    keep_probability: f.keepProbability ?? 'set at run time, from the number of categories estimated then',
    ...estimation,
  };
}
