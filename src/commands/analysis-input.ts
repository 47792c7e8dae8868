/**
 * What analyze-failure and suggest read about a run: a generate or evaluate report (JSON), or
 * flags (--metrics, --method, --rows, --cols, --params), turned into the optimizer's Situation.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/config.js';
import { inputError, usageError } from '../core/errors.js';
import { upperBoundCheck } from '../core/metrics/checks.js';
import { parseMetricValue } from '../core/metrics/metric-range.js';
import { METRIC_IDS } from '../core/metrics/registry.js';
import type { MetricId } from '../core/metrics/metric.js';
import { parseNameValues } from '../core/name-value.js';
import { parseReportDocument, type ReportView } from '../pipeline/report-reader.js';
import { knownMethod, METHOD_IDS, MODELS } from '../models/registry.js';
import { inSpace, parseParamItems, type Space } from '../models/space.js';
import type { MetricValues } from '../optimizer/failures.js';
import { situationOf, type DpSetting, type Situation } from '../optimizer/situation.js';
import { sizeDefaults } from '../optimizer/size-defaults.js';

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

/** A report file read and checked (exit 3 naming the field when its shape is wrong). */
export function readReport(path: string): ReportView {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw inputError(
      `cannot read ${path}: ${(error as Error).message}`,
      'Give the report a gesalp generate or evaluate run wrote (--report, or <out stem>.report.json).',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw inputError(`${path} is not JSON`, 'Give the JSON report of gesalp generate (or gesalp evaluate --json).');
  }
  return parseReportDocument(parsed, path);
}

/** The situation of a run, from its report (if any) with flags taking precedence. */
export function describeRun(
  report: ReportView | undefined,
  flags: RunDescription,
  thresholdOverride?: Thresholds,
): Situation {
  const evaluation = report?.evaluation ?? null;
  const method = knownMethod(flags.method ?? reportMethod(report) ?? 'ddpm');
  const space: Space = MODELS[method].space;
  const trainRows =
    flags.rows !== undefined
      ? trainingRows(flags.rows, flags.holdoutFraction ?? 0.2)
      : (report?.trainRows ?? evaluation?.realRows ?? undefined);
  const columns = flags.cols ?? report?.columns ?? evaluation?.realColumns ?? undefined;
  if (trainRows === undefined || columns === undefined)
    throw usageError(
      'the size of the training data is not known',
      'Give --rows N --cols M (or a generate report, which records them).',
    );
  const defaults = Object.fromEntries(
    Object.entries(sizeDefaults(method, trainRows, columns)).map(([k, v]) => [k, v.value]),
  );
  const fromReport = report && report.method === method ? reportParams(report, space) : {};
  const params = {
    ...defaults,
    ...fromReport,
    ...Object.fromEntries(parseParamItems(flags.params ?? [], space, '--params')),
  };
  const metrics: MetricValues = { ...evaluation?.metrics, ...parseMetrics(flags.metrics ?? []) };
  // A check with nothing to measure (TVD without categorical columns) is not a check of this run.
  const thresholds = Object.fromEntries(
    Object.entries(thresholdOverride ?? evaluation?.thresholds ?? DEFAULT_THRESHOLDS).filter(
      ([id]) => !evaluation?.notApplicable.includes(id as MetricId) || metrics[id as MetricId] != null,
    ),
  ) as Thresholds;
  const spread = evaluation?.sampleSpread;
  return situationOf({
    method,
    metrics,
    thresholds,
    extraChecks: spread ? [upperBoundCheck('sample_spread', spread.value, spread.threshold, spread.message)] : [],
    params,
    trainRows,
    columns,
    dp: dpSetting(flags, report),
    trainSeconds: flags.trainSeconds ?? report?.training?.seconds ?? null,
    timeBudgetSeconds: flags.timeBudget,
    trainingInterrupted: report?.training?.stopped ?? false,
  });
}

/** Training rows of a table of `rows` rows after generate's holdout split (about: the split is a keyed hash per row). */
export const trainingRows = (rows: number, holdoutFraction: number): number =>
  rows - Math.round(rows * holdoutFraction);

function reportMethod(report: ReportView | undefined): string | undefined {
  const method = report?.method ?? undefined;
  if (method !== undefined && !Object.hasOwn(MODELS, method))
    throw inputError(
      `${report!.file}: "method" is '${method}', not a method gesalp knows`,
      `Give a report of gesalp generate, or name the method with --method (${METHOD_IDS.join(', ')}).`,
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

/** The run's DP setting: flags first, then the report's privacy section. */
function dpSetting(flags: RunDescription, report: ReportView | undefined): DpSetting | null {
  const epsilon = flags.epsilon ?? report?.privacy?.epsilon;
  const maxEpsilon = flags.maxEpsilon ?? (flags.epsilon === undefined ? report?.privacy?.maxEpsilon : undefined);
  if (epsilon === undefined) {
    if (maxEpsilon !== undefined)
      throw usageError(
        '--max-epsilon needs --epsilon',
        "Give the run's --epsilon too, e.g. --epsilon 2 --max-epsilon 4.",
      );
    return null;
  }
  if (maxEpsilon !== undefined && maxEpsilon < epsilon)
    throw usageError(
      `--max-epsilon ${maxEpsilon} is below the run's --epsilon ${epsilon}`,
      `Give a --max-epsilon of at least ${epsilon} (the most you will spend), or leave it out.`,
    );
  return { epsilon, maxEpsilon: maxEpsilon ?? epsilon };
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
