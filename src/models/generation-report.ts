/** The JSON report of `gesalp generate`: what ran, on what, how long, and how good the result is. */
import type { InputFile } from '../core/io/load-inputs.js';
import type { EvaluationReport } from '../core/report/evaluation-report.js';
import { VERSION } from '../core/version.js';
import type { ResolvedParam } from './resolve-params.js';
import type { FitSummary } from './synthesizer.js';

/** What `evaluate --split` needs to rebuild train and holdout from the input file. */
export interface SplitRecord {
  readonly seed: number;
  readonly fraction: number;
  readonly input_sha256: string;
  readonly rows: number;
  readonly train_rows: number;
  readonly holdout_rows: number;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly parameters: Record<string, number>;
  readonly all_green: boolean;
  readonly violations: string[];
  readonly train_seconds: number;
}

export interface GenerationReport {
  readonly gesalp_version: string;
  readonly report: 'generation';
  readonly created_at: string;
  readonly method: string;
  readonly method_reason: string;
  readonly parameters: ResolvedParam[];
  readonly backend: string;
  readonly seed: number;
  readonly input: InputFile;
  readonly split: SplitRecord;
  readonly output: { readonly path: string; readonly rows: number; readonly sha256: string };
  readonly model: { readonly saved_to: string | null; readonly loaded_from: string | null };
  readonly training: FitSummary | null;
  readonly timings_s: Record<string, number>;
  readonly attempts: AttemptRecord[];
  readonly privacy: null;
  readonly all_green: boolean;
  readonly violations: string[];
  readonly evaluation: EvaluationReport;
  readonly warnings: string[];
}

export type GenerationReportParts = Omit<GenerationReport, 'gesalp_version' | 'report' | 'created_at' | 'all_green' | 'violations'>;

export function buildGenerationReport(parts: GenerationReportParts, now = new Date()): GenerationReport {
  const seconds = Object.fromEntries(Object.entries(parts.timings_s).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
  return {
    gesalp_version: VERSION,
    report: 'generation',
    created_at: now.toISOString(),
    ...parts,
    timings_s: seconds,
    all_green: parts.evaluation.all_green,
    violations: parts.evaluation.violations.map((v) => v.metric),
  };
}
