/** Runs every metric on real, synthetic and (optional) holdout rows, recording errors per metric. */
import type { BackendName } from '../core/backend.js';
import type { Thresholds } from './thresholds.js';
import type { Table } from '../core/table.js';
import { applyThresholds, type Check, type Verdict } from './checks.js';
import type { AttackSettings, Metric, MetricContext, MetricId, MetricResult } from './metric.js';
import { privacyDistances, type PrivacyDistances } from './privacy-distances.js';
import { qualityScore, type QualityScore } from './quality.js';
import { DEFAULT_PRIVACY_SAMPLE } from './privacy-sample.js';
import { METRICS } from './registry.js';

export interface EvaluationOptions {
  readonly thresholds: Thresholds;
  readonly backend: BackendName;
  readonly seed?: number;
  readonly privacySample?: number;
  readonly threads?: number;
  /** The column ML efficacy predicts (none: ml_efficacy does not apply). */
  readonly target?: string;
  readonly attacks?: AttackSettings;
  /** Checks decided outside the metrics (a model's sample checks), part of the verdict. */
  readonly extraChecks?: readonly Check[];
  /**
   * The real rows the fidelity metrics compare with, where they are not `real` (generate
   * --condition: the rows holding its values). The privacy metrics always read `real` and the holdout.
   */
  readonly fidelityReal?: Table;
}

/** The metrics that compare distributions, which a conditioned sample is judged on against the rows holding its condition. */
export const FIDELITY_METRICS: ReadonlySet<MetricId> = new Set(['ks_mean', 'tvd_mean', 'corr_delta', 'detection_auc']);

/** The metrics that read the nearest-neighbour distances (MetricContext.privacy). */
const DISTANCE_METRICS: ReadonlySet<MetricId> = new Set(['dcr_median', 'dcr_train_share', 'mia_auc']);

export interface Evaluation {
  readonly metrics: Record<MetricId, MetricResult>;
  readonly verdict: Verdict;
  /** The quality score a person reads first (SPEC section 5); null where no column's shape was measured. */
  readonly quality: QualityScore | null;
  readonly privacyRows: PrivacyDistances['rows'] | null;
  /** The distances behind the privacy metrics, for the report's plots; null when no privacy metric ran or the search failed. */
  readonly distances: PrivacyDistances | null;
  readonly warnings: string[];
  readonly seconds: Record<string, number>;
}

export async function evaluateTables(
  real: Table,
  synthetic: Table,
  holdout: Table | undefined,
  options: EvaluationOptions,
): Promise<Evaluation> {
  let distances: Promise<PrivacyDistances> | undefined;
  const context: MetricContext = {
    real,
    synthetic,
    holdout,
    seed: options.seed ?? 0,
    target: options.target,
    attacks: options.attacks,
    privacy: () =>
      (distances ??= privacyDistances(real, synthetic, holdout, {
        cap: options.privacySample ?? DEFAULT_PRIVACY_SAMPLE,
        seed: options.seed ?? 0,
        backend: options.backend,
        threads: options.threads,
        background: true,
      })),
  };
  // The distance search starts first: on a large table it runs in worker threads while this thread
  // computes the other metrics and the quality score; the metrics that read it come last (a failed
  // search is their error). Results and timings are listed in the registry's order all the same.
  context.privacy().catch(() => undefined);
  const registry = Object.values(METRICS);
  const done = new Map<MetricId, { result: MetricResult; seconds: number }>();
  const run = async (metric: Metric) => done.set(metric.id, await timedCompute(metric, context, options.fidelityReal));
  for (const metric of registry) if (!DISTANCE_METRICS.has(metric.id)) await run(metric);
  const start = performance.now();
  const shapes = { ks: done.get('ks_mean')?.result.perColumn ?? {}, tvd: done.get('tvd_mean')?.result.perColumn ?? {} };
  const quality = qualityScore(options.fidelityReal ?? real, synthetic, shapes, options.seed ?? 0);
  const qualitySeconds = (performance.now() - start) / 1000;
  for (const metric of registry) if (DISTANCE_METRICS.has(metric.id)) await run(metric);
  const metrics = Object.fromEntries(registry.map((m) => [m.id, done.get(m.id)!.result])) as Record<
    MetricId,
    MetricResult
  >;
  const seconds: Record<string, number> = Object.fromEntries(registry.map((m) => [m.id, done.get(m.id)!.seconds]));
  seconds.quality = qualitySeconds;
  const warnings = registry.flatMap((m) => metrics[m.id].warnings ?? []);
  const privacy = distances ? await distances.catch(() => undefined) : undefined;
  if (privacy) {
    for (const set of privacy.rows.sampled)
      warnings.push(`distance metrics use a seeded sample of ${privacy.rows.cap} ${set} rows (privacy_sample)`);
  }
  return {
    metrics,
    verdict: applyThresholds(metrics, options.thresholds, options.extraChecks),
    quality,
    privacyRows: privacy?.rows ?? null,
    distances: privacy ?? null,
    warnings,
    seconds,
  };
}

/** One metric's result (an error is a result too) and its seconds. */
async function timedCompute(
  metric: Metric,
  context: MetricContext,
  fidelityReal: Table | undefined,
): Promise<{ result: MetricResult; seconds: number }> {
  const start = performance.now();
  let result: MetricResult;
  try {
    const real = FIDELITY_METRICS.has(metric.id) ? fidelityReal : undefined;
    result = await metric.compute(real ? { ...context, real } : context);
  } catch (error) {
    result = { value: null, status: 'error', message: (error as Error).message };
  }
  return { result, seconds: (performance.now() - start) / 1000 };
}
