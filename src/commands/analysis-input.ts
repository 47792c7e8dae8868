/**
 * What analyze-failure and suggest read about a run from their flags (--metrics, --method,
 * --rows, --cols, --params and the DP flags), parsed and handed to the library's run description.
 */
import type { Thresholds } from '../metrics/thresholds.js';
import { parseMetricValue } from '../metrics/metric-range.js';
import { METRIC_IDS } from '../metrics/registry.js';
import type { MetricId } from '../metrics/metric.js';
import { parseNameValues } from '../core/name-value.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import { parseParamItems } from '../models/space.js';
import type { MetricValues } from '../optimizer/failures.js';
import type { Situation } from '../optimizer/situation.js';
import { situationOfRun, type RunReport } from '../api/run-description.js';

export { readReport } from '../api/run-description.js';

export interface RunDescription {
  readonly method?: string;
  readonly metrics?: string[];
  readonly rows?: number;
  readonly cols?: number;
  readonly params?: string[];
  readonly epsilon?: number;
  readonly maxEpsilon?: number;
  readonly trainSeconds?: number;
  readonly timeBudget?: number;
  readonly holdoutFraction?: number;
}

/** The situation of a run, from its report (if any) with flags taking precedence. */
export function describeRun(
  report: RunReport | undefined,
  flags: RunDescription,
  thresholdOverride?: Thresholds,
  registry: Registry = REGISTRY,
): Situation {
  return situationOfRun(report, {
    method: flags.method,
    metrics: parseMetrics(flags.metrics ?? []),
    rows: flags.rows,
    cols: flags.cols,
    holdout_fraction: flags.holdoutFraction,
    params: Object.fromEntries(parseParams(flags.params ?? [], report, flags.method, registry)),
    epsilon: flags.epsilon,
    max_epsilon: flags.maxEpsilon,
    train_seconds: flags.trainSeconds,
    time_budget: flags.timeBudget,
    ...(thresholdOverride ? { thresholds: thresholdOverride } : {}),
    registry,
  });
}

function parseMetrics(pairs: string[]): MetricValues {
  return Object.fromEntries(
    parseNameValues(pairs, {
      where: '--metrics',
      noun: 'metric',
      example: '--metrics ks_mean=0.73,mia_auc=0.2',
      names: METRIC_IDS,
      value: (name, text) => parseMetricValue(name as MetricId, text, '--metrics'),
    }),
  );
}

/** --params against the space of the run's method (an unknown method is the library's to refuse, naming it). */
function parseParams(items: string[], report: RunReport | undefined, method: string | undefined, registry: Registry) {
  const name = method ?? report?.method ?? registry.ids[0];
  return registry.has(name) ? parseParamItems(items, registry.get(name).space, '--params') : new Map<string, number>();
}
