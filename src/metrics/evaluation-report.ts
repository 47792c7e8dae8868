/** The stable JSON document `gesalp evaluate --json` prints (and generate embeds). */
import type { Thresholds } from './thresholds.js';
import type { InputFile } from '../core/io/load-inputs.js';
import type { Check } from './checks.js';
import type { Evaluation } from './evaluate.js';
import type { MetricId, MetricStatus } from './metric.js';
import { METRICS } from './registry.js';
import type { IdentifierFinding } from '../core/schema/identifiers.js';
import type { Schema } from '../core/schema/schema.js';
import type { Figures } from './figures/figures.js';
import type { QualityScore } from './quality.js';
import { isCategorical, type Table } from '../core/table.js';
import { VERSION } from '../core/version.js';

export interface ColumnReport {
  readonly name: string;
  readonly kind: string;
  readonly reason: string;
  readonly missing: number;
  readonly categories?: number;
}

export interface EvaluationReport {
  readonly gesalp_version: string;
  readonly report: 'evaluation';
  readonly created_at: string;
  readonly inputs: { real: InputFile; synthetic: InputFile; holdout: InputFile | null };
  readonly schema: ColumnReport[];
  readonly metrics: Record<MetricId, { value: number | null; status: MetricStatus; goal: string; message?: string }>;
  readonly per_column: { ks: Record<string, number | null>; tvd: Record<string, number | null> };
  readonly thresholds: Thresholds;
  /** The config files the thresholds came from (gesalp.config.json in the working directory, --config); absent when the caller did not say. */
  readonly config_files?: string[];
  /** 0-100, higher is better: what a person reads first (SPEC section 5); it decides no check. Null: no column measured. */
  readonly quality: QualityScore | null;
  readonly checks: Check[];
  readonly all_green: boolean;
  /** The share of configured checks that passed, in percent: not the quality score. */
  readonly compliance_score: number;
  readonly violations: Check[];
  readonly privacy_sample: Evaluation['privacyRows'];
  /** With a target: the scores of the models trained on real and on synthetic rows, and their ratio. */
  readonly ml_efficacy: Details | null;
  /** The detector's fold AUCs and the columns that give the synthetic rows away. */
  readonly detection: Details | null;
  /** Per attack: main and control success rates, the risk's interval and what the attack used. */
  readonly privacy_attacks: { singling_out: Details | null; linkability: Details | null; inference: Details | null };
  /** Columns of the real table that identify someone (SPEC section 9): evaluate names them, it does not drop them. */
  readonly identifiers?: IdentifierFinding[];
  readonly warnings: string[];
  readonly backend: string;
  readonly seed: number;
  readonly timings_s: Record<string, number>;
  /** The data behind the HTML report's plots (histograms, association matrices, distances, ROC points). */
  readonly figures?: Figures;
}

type Details = Readonly<Record<string, unknown>>;

export interface ReportContext {
  readonly files: { real: InputFile; synthetic: InputFile; holdout: InputFile | null };
  readonly schema: Schema;
  readonly real: Table;
  readonly thresholds: Thresholds;
  /** Config files read for the thresholds (left out: the report does not claim any list). */
  readonly configFiles?: readonly string[];
  readonly backend: string;
  readonly seed: number;
  readonly timings: Record<string, number>;
  readonly now?: Date;
  readonly figures?: Figures;
  readonly identifiers?: IdentifierFinding[];
}

export function buildEvaluationReport(evaluation: Evaluation, context: ReportContext): EvaluationReport {
  const metrics = Object.fromEntries(
    Object.entries(evaluation.metrics).map(([id, result]) => [
      id,
      {
        value: round(result.value),
        status: result.status,
        goal: METRICS[id as MetricId].goal,
        ...(result.message ? { message: result.message } : {}),
      },
    ]),
  ) as EvaluationReport['metrics'];
  const roundAll = (record: Record<string, number | null> | undefined) =>
    Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, round(v)]));
  return {
    gesalp_version: VERSION,
    report: 'evaluation',
    created_at: (context.now ?? new Date()).toISOString(),
    inputs: context.files,
    schema: schemaReport(context.schema, context.real),
    metrics,
    per_column: {
      ks: roundAll(evaluation.metrics.ks_mean.perColumn),
      tvd: roundAll(evaluation.metrics.tvd_mean.perColumn),
    },
    thresholds: context.thresholds,
    ...(context.configFiles ? { config_files: [...context.configFiles] } : {}),
    quality: evaluation.quality,
    checks: evaluation.verdict.checks,
    all_green: evaluation.verdict.allGreen,
    compliance_score: evaluation.verdict.complianceScore,
    violations: evaluation.verdict.violations,
    privacy_sample: evaluation.privacyRows,
    ml_efficacy: roundDetails(evaluation.metrics.ml_efficacy?.details),
    detection: roundDetails(evaluation.metrics.detection_auc?.details),
    privacy_attacks: {
      singling_out: roundDetails(evaluation.metrics.singling_out_risk?.details),
      linkability: roundDetails(evaluation.metrics.linkability_risk?.details),
      inference: roundDetails(evaluation.metrics.inference_risk?.details),
    },
    ...(context.identifiers ? { identifiers: context.identifiers } : {}),
    warnings: evaluation.warnings,
    backend: context.backend,
    seed: context.seed,
    timings_s: Object.fromEntries(
      Object.entries({ ...context.timings, ...evaluation.seconds }).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
    ),
    ...(context.figures ? { figures: context.figures } : {}),
  };
}

function schemaReport(schema: Schema, real: Table): ColumnReport[] {
  return schema.columns.map((spec, i) => {
    const column = real.columns[i];
    const missing = isCategorical(column)
      ? column.codes.filter((c) => c < 0).length
      : column.values.filter(Number.isNaN).length;
    return {
      name: spec.name,
      kind: spec.kind,
      reason: spec.reason,
      missing,
      ...(isCategorical(column) ? { categories: column.levels.length } : {}),
    };
  });
}

/** A metric's details with every number rounded like the values. */
function roundDetails(details: Details | undefined): Details | null {
  if (!details) return null;
  const walk = (value: unknown): unknown =>
    typeof value === 'number'
      ? round(value)
      : Array.isArray(value)
        ? value.map(walk)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
          : value;
  return walk(details) as Details;
}

/** 12 significant digits: enough for any comparison, free of float noise in the document. */
const round = (value: number | null | undefined): number | null =>
  value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toPrecision(12));
