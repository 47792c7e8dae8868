/**
 * What analyze-failure and suggest read about a run: a generate or evaluate report, or the facts
 * given (metrics, method, size, parameters), turned into the optimizer's Situation. Both commands
 * read one thing from a report: its method, parameters, schema and evidence (issue 28 item 10).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../metrics/thresholds.js';
import { inputError, optionError } from '../core/errors.js';
import { upperBoundCheck } from '../metrics/checks.js';
import type { MetricId } from '../metrics/metric.js';
import type { MethodDescriptor } from '../models/descriptor.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import { inSpace, parseParam, type Space } from '../models/space.js';
import { NO_EVIDENCE, type RunEvidence } from '../optimizer/evidence.js';
import { readCheckpoints, readEvaluationEvidence, readTarget } from '../optimizer/evidence-reader.js';
import type { MetricValues } from '../optimizer/failures.js';
import { situationOf, type DpSetting, type Situation } from '../optimizer/situation.js';
import { sizeDefaults } from '../optimizer/size-defaults.js';
import type { GenerationReport } from '../pipeline/report.js';
import { parseReportDocument, type ReportView } from '../pipeline/report-reader.js';

/** A report read for the optimizer: the checked view, the evidence, and what a next run repeats. */
export interface RunReport extends ReportView {
  readonly evidence: RunEvidence;
  /** The input and output paths of a generate run, and the evaluation's ml_efficacy target (null: none). */
  readonly run: { readonly input: string | null; readonly output: string | null; readonly target: string | null };
}

export interface RunFacts {
  /** The JSON report of gesalp generate or evaluate: a path, or the parsed document. */
  readonly report?: string | object;
  /** Default: the report's method, else the registry's first. */
  readonly method?: string;
  /** Metric values, over the report's. */
  readonly metrics?: MetricValues;
  /** Rows of the input table (the training rows are what the holdout leaves). */
  readonly rows?: number;
  readonly cols?: number;
  readonly holdout_fraction?: number;
  /** The run's parameters (unset ones: the size defaults). */
  readonly params?: Readonly<Record<string, number>>;
  /** The run trained under DP at this epsilon. */
  readonly epsilon?: number;
  /** The most epsilon the user will spend: a suggestion to raise epsilon stops here. */
  readonly max_epsilon?: number;
  readonly train_seconds?: number;
  /** Training seconds above which the run counts as too slow (default 900). */
  readonly time_budget?: number;
  /** The checks to judge by (default: the report's, else the SPEC's). */
  readonly thresholds?: Thresholds;
  readonly registry?: Registry;
}

/** A report file read and checked (exit 3 naming the field when its shape is wrong). */
export function readReport(path: string): RunReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw inputError(
      `cannot read ${path}: ${(error as Error).message}`,
      'Give the JSON report a gesalp generate or evaluate run wrote (by default <out stem>.report.json).',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw inputError(`${path} is not JSON`, 'Give the JSON report of gesalp generate or gesalp evaluate.');
  }
  return runReport(parsed, path);
}

/** A parsed report document checked, with its evidence and paths. */
export function runReport(doc: unknown, file: string): RunReport {
  const view = parseReportDocument(doc, file);
  const fields = doc as Partial<Record<keyof GenerationReport, unknown>>;
  // An evaluation report is its own evaluation.
  const evaluation = view.kind === 'evaluation' ? doc : fields.evaluation;
  const path = (record: unknown) =>
    typeof record === 'object' && record !== null && typeof (record as { path?: unknown }).path === 'string'
      ? (record as { path: string }).path
      : null;
  return {
    ...view,
    evidence: { checkpoints: readCheckpoints(fields.early_stop), ...readEvaluationEvidence(evaluation) },
    run: {
      input: view.kind === 'generation' ? path(fields.input) : null,
      output: view.kind === 'generation' ? path(fields.output) : null,
      target: readTarget(evaluation),
    },
  };
}

const reportOf = (report: RunFacts['report']): RunReport | undefined =>
  report === undefined ? undefined : typeof report === 'string' ? readReport(report) : runReport(report, 'the report');

/** The situation of a run, from its report (if any) with the facts given taking precedence. */
export const describeRun = (facts: RunFacts): Situation => situationOfRun(reportOf(facts.report), facts);

/**
 * The same, from a report already read. An evaluation report names no method: unless one is
 * given, its rows are analysed without one (method-neutral rules, no parameters), never as ddpm's.
 */
export function situationOfRun(report: ReportView | RunReport | undefined, facts: Omit<RunFacts, 'report'>): Situation {
  const registry = facts.registry ?? REGISTRY;
  const evaluation = report?.evaluation ?? null;
  const named = facts.method ?? reportMethod(report, registry);
  const unnamed = named === undefined && report?.kind === 'evaluation';
  const descriptor = unnamed ? null : registry.get(named ?? registry.ids[0]);
  const trainRows =
    facts.rows !== undefined
      ? trainingRows(facts.rows, facts.holdout_fraction ?? 0.2)
      : (report?.trainRows ?? evaluation?.realRows ?? undefined);
  const columns = facts.cols ?? report?.columns ?? evaluation?.realColumns ?? undefined;
  if (trainRows === undefined || columns === undefined)
    throw optionError(
      'usage',
      'rows',
      'the size of the training data is not known',
      'Give {rows} N {cols} M (or a generate report, which records them).',
      ['cols'],
    );
  const params = descriptor ? runParams(descriptor, report, facts, trainRows, columns) : {};
  const metrics: MetricValues = { ...evaluation?.metrics, ...facts.metrics };
  // A check with nothing to measure (TVD without categorical columns) is not a check of this run.
  const thresholds = Object.fromEntries(
    Object.entries(facts.thresholds ?? evaluation?.thresholds ?? DEFAULT_THRESHOLDS).filter(
      ([id]) => !evaluation?.notApplicable.includes(id as MetricId) || metrics[id as MetricId] != null,
    ),
  ) as Thresholds;
  const spread = evaluation?.sampleSpread;
  return situationOf({
    method: descriptor?.id ?? null,
    metrics,
    thresholds,
    extraChecks: spread ? [upperBoundCheck('sample_spread', spread.value, spread.threshold, spread.message)] : [],
    params,
    trainRows,
    columns,
    dp: dpSetting(facts, report),
    trainSeconds: facts.train_seconds ?? report?.training?.seconds ?? null,
    timeBudgetSeconds: facts.time_budget,
    trainingInterrupted: report?.training?.stopped ?? false,
    registry,
    evidence: report && 'evidence' in report ? report.evidence : NO_EVIDENCE,
  });
}

/** The size defaults, under the report's parameters (when it ran this method), under the ones given. */
function runParams(
  descriptor: MethodDescriptor,
  report: ReportView | undefined,
  facts: Omit<RunFacts, 'report'>,
  trainRows: number,
  columns: number,
): Record<string, number> {
  const space = descriptor.space;
  const fromReport = report && report.method === descriptor.id ? reportParams(report, space) : {};
  const given = Object.entries(facts.params ?? {}).map(([name, value]) => [
    name,
    parseParam(space, name, String(value)),
  ]);
  // A step cap counts the steps of the batch size the run used or the user gives.
  const set = { ...fromReport, ...Object.fromEntries(given) };
  const defaults = Object.fromEntries(
    Object.entries(sizeDefaults(descriptor, trainRows, columns, false, set)).map(([k, v]) => [k, v.value]),
  );
  return { ...defaults, ...fromReport, ...Object.fromEntries(given) };
}

/** Training rows of a table of `rows` rows after generate's holdout split (about: the split is a keyed hash per row). */
export const trainingRows = (rows: number, holdoutFraction: number): number =>
  rows - Math.round(rows * holdoutFraction);

function reportMethod(report: ReportView | undefined, registry: Registry): string | undefined {
  const method = report?.method ?? undefined;
  if (method !== undefined && !registry.has(method))
    throw optionError(
      'input',
      'method',
      `${report!.file}: "method" is '${method}', not a method gesalp knows`,
      `Give a report of gesalp generate, or name the method with {method} (${registry.ids.join(', ')}).`,
    );
  return method;
}

/** A report's parameters, each inside the method's space (a report out of it was not written by gesalp). */
function reportParams(report: ReportView, space: Space): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { name, value } of report.parameters) {
    const spec = space[name];
    if (!spec) continue; // a parameter of another version: the optimizer has no lever on it
    if (!inSpace(spec, value))
      throw inputError(
        `${report.file}: parameter ${name} is ${value}, outside ${spec.low}..${spec.high}`,
        'Give the JSON report of gesalp generate, unedited.',
      );
    out[name] = value;
  }
  return out;
}

/** The run's DP setting: the facts first, then the report's privacy section. */
function dpSetting(facts: Omit<RunFacts, 'report'>, report: ReportView | undefined): DpSetting | null {
  const epsilon = facts.epsilon ?? report?.privacy?.epsilon;
  const maxEpsilon = facts.max_epsilon ?? (facts.epsilon === undefined ? report?.privacy?.maxEpsilon : undefined);
  if (epsilon === undefined) {
    if (maxEpsilon !== undefined)
      throw optionError(
        'usage',
        'max_epsilon',
        '{max_epsilon} needs {epsilon}',
        "Give the run's {epsilon} too, e.g. {epsilon} 2 {max_epsilon} 4.",
        ['epsilon'],
      );
    return null;
  }
  if (maxEpsilon !== undefined && maxEpsilon < epsilon)
    throw optionError(
      'usage',
      'max_epsilon',
      `{max_epsilon} ${maxEpsilon} is below the run's {epsilon} ${epsilon}`,
      `Give a {max_epsilon} of at least ${epsilon} (the most you will spend), or leave it out.`,
      ['epsilon'],
    );
  return { epsilon, maxEpsilon: maxEpsilon ?? epsilon };
}
