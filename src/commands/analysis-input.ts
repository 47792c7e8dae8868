/**
 * What analyze-failure and suggest read about a run: a generate or evaluate report (JSON), or
 * flags (--metrics, --method, --rows, --cols, --params), turned into the optimizer's Situation.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../core/config.js';
import { inputError, unknownNameHint, usageError } from '../core/errors.js';
import { METRIC_IDS } from '../core/metrics/registry.js';
import type { MetricId } from '../core/metrics/metric.js';
import { holdoutCount } from '../core/split.js';
import { knownMethod, MODELS } from '../models/registry.js';
import { parseParam, type Space } from '../models/space.js';
import type { MetricValues } from '../optimizer/failures.js';
import { situationOf, type Situation } from '../optimizer/situation.js';
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

interface ReportShape {
  report?: string;
  method?: string;
  parameters?: { name: string; value: number }[];
  split?: { train_rows?: number };
  input?: { columns?: number };
  inputs?: { real?: { rows?: number; columns?: number } };
  training?: { stopped?: boolean; seconds?: number } | null;
  evaluation?: ReportShape;
  metrics?: Record<string, { value: number | null }>;
  thresholds?: Thresholds;
}

export function readReport(path: string): ReportShape {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw inputError(
      `cannot read ${path}: ${(error as Error).message}`,
      'Give the report a gesalp generate or evaluate run wrote (--report, or <out stem>.report.json).',
    );
  }
  let parsed: ReportShape;
  try {
    parsed = JSON.parse(text) as ReportShape;
  } catch {
    throw inputError(`${path} is not JSON`, 'Give the JSON report of gesalp generate (or gesalp evaluate --json).');
  }
  if (parsed.report !== 'generation' && parsed.report !== 'evaluation') {
    throw inputError(
      `${path} is not a gesalp report (no "report": "generation" or "evaluation")`,
      'Give the JSON report of gesalp generate (or gesalp evaluate --json).',
    );
  }
  return parsed;
}

/** The situation of a run, from its report (if any) with flags taking precedence. */
export function describeRun(
  report: ReportShape | undefined,
  flags: RunDescription,
  thresholdOverride?: Thresholds,
): Situation {
  const evaluation = report?.report === 'generation' ? report.evaluation : report;
  const method = knownMethod(flags.method ?? report?.method ?? 'ddpm');
  const space: Space = MODELS[method].space;
  const trainRows =
    flags.rows !== undefined
      ? trainingRows(flags.rows, flags.holdoutFraction ?? 0.2)
      : (report?.split?.train_rows ?? evaluation?.inputs?.real?.rows);
  const columns = flags.cols ?? report?.input?.columns ?? evaluation?.inputs?.real?.columns;
  if (trainRows === undefined || columns === undefined)
    throw usageError(
      'the size of the training data is not known',
      'Give --rows N --cols M (or a generate report, which records them).',
    );
  const defaults = Object.fromEntries(
    Object.entries(sizeDefaults(method, trainRows, columns)).map(([k, v]) => [k, v.value]),
  );
  const fromReport =
    report?.report === 'generation' && report.method === method
      ? Object.fromEntries((report.parameters ?? []).map((p) => [p.name, p.value]))
      : {};
  const params = { ...defaults, ...fromReport, ...parseParams(flags.params ?? [], space) };
  const metrics: MetricValues = {
    ...Object.fromEntries(Object.entries(evaluation?.metrics ?? {}).map(([id, m]) => [id, m.value])),
    ...parseMetrics(flags.metrics ?? []),
  };
  const epsilon = flags.epsilon;
  return situationOf({
    method,
    metrics,
    thresholds: thresholdOverride ?? evaluation?.thresholds ?? { ...DEFAULT_THRESHOLDS },
    params,
    trainRows,
    columns,
    dp: epsilon === undefined ? null : { epsilon, maxEpsilon: Math.max(epsilon, flags.maxEpsilon ?? epsilon) },
    trainSeconds: flags.trainSeconds ?? report?.training?.seconds ?? null,
    timeBudgetSeconds: flags.timeBudget,
    trainingInterrupted: report?.training?.stopped ?? false,
  });
}

/** Training rows of a table of `rows` rows after generate's holdout split. */
export const trainingRows = (rows: number, holdoutFraction: number): number =>
  rows - holdoutCount(rows, holdoutFraction);

function parseMetrics(pairs: string[]): MetricValues {
  const out: Partial<Record<MetricId, number>> = {};
  for (const pair of pairs) {
    const [name, text] = pair.split('=').map((s) => s.trim());
    if (!METRIC_IDS.includes(name as MetricId))
      throw usageError(`--metrics: unknown metric '${name}'`, unknownNameHint(name, METRIC_IDS));
    const value = Number(text);
    if (text === undefined || text === '' || !Number.isFinite(value))
      throw usageError(
        `--metrics ${name}: '${text ?? ''}' is not a number`,
        'Write it as --metrics ks_mean=0.73,mia_auc=0.2',
      );
    out[name as MetricId] = value;
  }
  return out;
}

function parseParams(pairs: string[], space: Space): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw usageError(
        `--params '${pair}' is not name=value`,
        `Write it as --params n_iter=300,batch_size=256. Names: ${Object.keys(space).join(', ')}.`,
      );
    const name = pair.slice(0, eq).trim();
    out[name] = parseParam(space, name, pair.slice(eq + 1).trim());
  }
  return out;
}
