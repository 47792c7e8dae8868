/**
 * A gesalp report read back (analyze-failure, suggest --previous): the JSON document checked once,
 * here, into a typed view. Every field is read by its name in the writers' types (GenerationReport,
 * EvaluationReport), so a field renamed there fails to compile here, so a hand-edited or foreign file is refused with the field that is wrong
 * instead of failing somewhere downstream. Fields the readers do not use are not checked.
 */
import type { Thresholds } from '../metrics/thresholds.js';
import { inputError } from '../core/errors.js';
import { metricValueProblem } from '../metrics/metric-range.js';
import type { MetricId } from '../metrics/metric.js';
import { METRIC_IDS } from '../metrics/registry.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import type { GenerationReport } from './report.js';

export type MetricValueMap = Partial<Record<MetricId, number | null>>;

export interface EvaluationView {
  /** Known metrics only; null where the metric was not evaluated. */
  readonly metrics: MetricValueMap;
  /** Metrics with nothing to measure (no column of their kind): their checks do not count. */
  readonly notApplicable: MetricId[];
  readonly thresholds: Thresholds | null;
  readonly realRows: number | null;
  readonly realColumns: number | null;
  /** The model's own sample check (generate's sample_spread), when the report has one. */
  readonly sampleSpread: { readonly value: number; readonly threshold: number; readonly message: string } | null;
}

export interface ReportView {
  /** The file it was read from, for messages. */
  readonly file: string;
  readonly kind: 'generation' | 'evaluation';
  readonly method: string | null;
  readonly parameters: readonly { readonly name: string; readonly value: number }[];
  readonly trainRows: number | null;
  readonly columns: number | null;
  readonly training: { readonly seconds: number | null; readonly stopped: boolean } | null;
  /** A DP run: the kept attempt's epsilon (preprocessing included) and the most one attempt could have. */
  readonly privacy: { readonly epsilon: number; readonly maxEpsilon: number } | null;
  /** The run's evaluation (an evaluation report is its own); null when the report has none. */
  readonly evaluation: EvaluationView | null;
}

const HINT = 'Give the JSON report of gesalp generate or gesalp evaluate, unedited.';

type Doc = Record<string, unknown>;
type Key<D> = keyof D & string;
type Element<T> = T extends readonly (infer E)[] ? E : never;

/** Reads fields of one JSON object written as a `D`, naming `file` and the field's path in every refusal. */
class Fields<D> {
  constructor(
    private readonly file: string,
    private readonly doc: Doc,
    private readonly path: string,
  ) {}

  private name = (key: string) => (this.path ? `${this.path}.${key}` : key);

  fail(key: string, problem: string): Error {
    return inputError(`${this.file}: "${this.name(key)}" ${problem}`, HINT);
  }

  has = (key: Key<D>): boolean => this.doc[key] !== undefined;

  object<K extends Key<D>>(key: K, nullable = false): Fields<NonNullable<D[K]>> | null {
    const value = this.doc[key];
    if (value === undefined || (nullable && value === null)) return null;
    if (!isObject(value)) throw this.fail(key, `is ${describe(value)}, not an object`);
    return new Fields<NonNullable<D[K]>>(this.file, value, this.name(key));
  }

  array<K extends Key<D>>(key: K): Fields<Element<D[K]>>[] {
    const value = this.doc[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw this.fail(key, `is ${describe(value)}, not a list`);
    return value.map((item, i) => {
      if (!isObject(item)) throw this.fail(`${key}[${i}]`, `is ${describe(item)}, not an object`);
      return new Fields<Element<D[K]>>(this.file, item, this.name(`${key}[${i}]`));
    });
  }

  string(key: Key<D>): string | null {
    const value = this.doc[key];
    if (value === undefined) return null;
    if (typeof value !== 'string') throw this.fail(key, `is ${describe(value)}, not a string`);
    return value;
  }

  boolean(key: Key<D>): boolean | null {
    const value = this.doc[key];
    if (value === undefined) return null;
    if (typeof value !== 'boolean') throw this.fail(key, `is ${describe(value)}, not true or false`);
    return value;
  }

  number(key: Key<D>, kind: 'finite' | 'count' | 'seconds' = 'finite'): number | null {
    const value = this.doc[key];
    if (value === undefined) return null;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw this.fail(key, `is ${describe(value)}, not a number`);
    if (kind === 'count' && !(Number.isSafeInteger(value) && value >= 1))
      throw this.fail(key, `is ${value}, not a whole number >= 1`);
    if (kind === 'seconds' && value < 0) throw this.fail(key, `is ${value}, not a duration in seconds`);
    return value;
  }

  /** A number the report type allows to be null (a DP report's exact counts and times): null reads as absent. */
  nullableNumber(key: Key<D>, kind: 'finite' | 'count' | 'seconds' = 'finite'): number | null {
    return this.doc[key] === null ? null : this.number(key, kind);
  }

  /** A metric value: a number inside the metric's range, or null (not evaluated). */
  metric(id: MetricId, key: Key<D>): number | null {
    const value = this.doc[key];
    if (value === null || value === undefined) return null;
    const number = this.number(key)!;
    const problem = metricValueProblem(id, number);
    if (problem) throw this.fail(key, `${problem}: ${number}`);
    return number;
  }

  entries(): [string, unknown][] {
    return Object.entries(this.doc);
  }
}

export function parseReportDocument(doc: unknown, file: string): ReportView {
  if (!isObject(doc))
    throw inputError(`${file} holds ${describe(doc)}, not a gesalp report (a JSON object with "report")`, HINT);
  const root = new Fields<GenerationReport>(file, doc, '');
  const kind = root.string('report');
  if (kind !== 'generation' && kind !== 'evaluation')
    throw inputError(`${file} is not a gesalp report (no "report": "generation" or "evaluation")`, HINT);
  if (kind === 'evaluation') {
    const evaluation = readEvaluation(new Fields<EvaluationReport>(file, doc, ''));
    return {
      file,
      kind,
      method: null,
      parameters: [],
      trainRows: null,
      columns: null,
      training: null,
      privacy: null,
      evaluation,
    };
  }
  const parameters = root.array('parameters').map((p, i) => {
    const name = p.string('name');
    if (name === null) throw root.fail(`parameters[${i}].name`, 'is missing');
    const value = p.number('value');
    if (value === null) throw root.fail(`parameters[${i}].value`, 'is missing');
    return { name, value };
  });
  const training = root.object('training', true);
  const evaluationFields = root.object('evaluation', true);
  const evaluation = evaluationFields ? readEvaluation(evaluationFields) : null;
  return {
    file,
    kind,
    method: root.string('method'),
    parameters,
    // A DP report keeps no exact count: its released one stands in.
    trainRows:
      root.object('split')?.nullableNumber('train_rows', 'count') ??
      root.object('privacy', true)?.number('training_rows', 'count') ??
      null,
    columns: root.object('input')?.number('columns', 'count') ?? null,
    training: training
      ? { seconds: training.nullableNumber('seconds', 'seconds'), stopped: training.boolean('stopped') ?? false }
      : null,
    privacy: readPrivacy(root),
    evaluation,
  };
}

function readPrivacy(root: Fields<GenerationReport>): ReportView['privacy'] {
  const privacy = root.object('privacy', true);
  if (!privacy) return null;
  const epsilon = privacy.number('attempt_epsilon');
  const maxEpsilon = privacy.number('max_epsilon');
  if (epsilon === null || !(epsilon > 0)) throw root.fail('privacy.attempt_epsilon', 'is not an epsilon > 0');
  if (maxEpsilon === null || maxEpsilon < epsilon)
    throw root.fail('privacy.max_epsilon', `is not an epsilon of at least attempt_epsilon ${epsilon}`);
  return { epsilon, maxEpsilon };
}

function readEvaluation(fields: Fields<EvaluationReport>): EvaluationView {
  const metrics: MetricValueMap = {};
  const notApplicable: MetricId[] = [];
  const metricFields = fields.object('metrics');
  for (const [id, entry] of (metricFields?.entries() ?? []) as [MetricId, unknown][]) {
    // A metric this version does not know (a newer report) has nothing to say to its optimizer.
    if (!METRIC_IDS.includes(id)) continue;
    const metric = metricFields!.object(id);
    if (metric === null) throw metricFields!.fail(id, `is ${describe(entry)}, not an object`);
    metrics[id] = metric.metric(id, 'value');
    if (metric.string('status') === 'not_applicable') notApplicable.push(id);
  }
  const thresholdFields = fields.object('thresholds');
  let thresholds: Thresholds | null = null;
  if (thresholdFields) {
    thresholds = {};
    for (const [id] of thresholdFields.entries()) {
      if (!METRIC_IDS.includes(id as MetricId)) throw thresholdFields.fail(id, 'is not a metric gesalp knows');
      const threshold = thresholdFields.metric(id as MetricId, id as MetricId);
      if (threshold === null) throw thresholdFields.fail(id, 'is null, not a number');
      thresholds[id as MetricId] = threshold;
    }
  }
  const real = fields.object('inputs')?.object('real', true);
  return {
    metrics,
    notApplicable,
    thresholds,
    realRows: real?.number('rows', 'count') ?? null,
    realColumns: real?.number('columns', 'count') ?? null,
    sampleSpread: readSampleSpread(fields),
  };
}

function readSampleSpread(fields: Fields<EvaluationReport>): EvaluationView['sampleSpread'] {
  const check = fields.array('checks').find((c) => c.string('metric') === 'sample_spread');
  if (!check) return null;
  const value = check.number('value');
  const threshold = check.number('threshold');
  if (value === null || threshold === null)
    throw fields.fail('checks', 'has a sample_spread check without value or threshold');
  return { value, threshold, message: check.string('message') ?? '' };
}

const isObject = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'string'
        ? `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
        : typeof value === 'object'
          ? 'an object'
          : `${typeof value} ${String(value)}`;
