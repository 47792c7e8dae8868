/** Runs every metric on real, synthetic and (optional) holdout rows, recording errors per metric. */
import type { BackendName } from '../core/backend.js';
import type { Thresholds } from './thresholds.js';
import type { Table } from '../core/table.js';
import { applyThresholds, type Check, type Verdict } from './checks.js';
import type { AttackSettings, MetricContext, MetricId, MetricResult } from './metric.js';
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
      })),
  };
  const metrics = {} as Record<MetricId, MetricResult>;
  const seconds: Record<string, number> = {};
  const warnings: string[] = [];
  for (const metric of Object.values(METRICS)) {
    const start = performance.now();
    try {
      const fidelityReal = FIDELITY_METRICS.has(metric.id) ? options.fidelityReal : undefined;
      metrics[metric.id] = await metric.compute(fidelityReal ? { ...context, real: fidelityReal } : context);
    } catch (error) {
      metrics[metric.id] = { value: null, status: 'error', message: (error as Error).message };
    }
    seconds[metric.id] = (performance.now() - start) / 1000;
    warnings.push(...(metrics[metric.id].warnings ?? []));
  }
  const start = performance.now();
  const shapes = { ks: metrics.ks_mean?.perColumn ?? {}, tvd: metrics.tvd_mean?.perColumn ?? {} };
  const quality = qualityScore(options.fidelityReal ?? real, synthetic, shapes, options.seed ?? 0);
  seconds.quality = (performance.now() - start) / 1000;
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
