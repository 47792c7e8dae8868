/**
 * The evidence of a report read back (analyze-failure, suggest --previous): the checkpoints of
 * `early_stop`, and from the evaluation its schema, per-column statistics, the figures' point
 * masses and histograms, and the detector's importances. Evidence is optional: a field missing or
 * of another shape gives no evidence, never a refusal (the checks that decide are read strictly by
 * the report reader). Field names are checked against the writers' types where this layer sees them.
 */
import type { ColumnReport, EvaluationReport } from '../metrics/evaluation-report.js';
import type { ColumnDistribution, NumericDistribution } from '../metrics/figures/column-distributions.js';
import type { CheckpointRecord } from './early-stop.js';
import type { MetricValues } from './failures.js';
import { histogramSkewness } from './histogram-skew.js';
import type { CheckpointPoint, ColumnFacts, Importance, PointMassShare, RunEvidence } from './evidence.js';

type Doc = Record<string, unknown>;

const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);
const docs = (value: unknown): Doc[] => (Array.isArray(value) ? value.filter(isDoc) : []);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const field = <D>(doc: unknown, key: keyof D & string): unknown => (isDoc(doc) ? doc[key] : undefined);

/** The checkpoints of a report's `early_stop` section, in epoch order. */
export function readCheckpoints(earlyStop: unknown): CheckpointPoint[] {
  return docs(field<{ checkpoints: unknown }>(earlyStop, 'checkpoints'))
    .flatMap((c) => {
      const epoch = num(c['epoch' satisfies keyof CheckpointRecord]);
      const metrics = c['metrics' satisfies keyof CheckpointRecord];
      if (epoch === null || !isDoc(metrics)) return [];
      const values = Object.fromEntries(Object.entries(metrics).map(([id, v]) => [id, num(v)])) as MetricValues;
      return [{ epoch, metrics: values }];
    })
    .sort((a, b) => a.epoch - b.epoch);
}

/** The columns and the detector's importances of an evaluation report (or generate's `evaluation`). */
export function readEvaluationEvidence(evaluation: unknown): Omit<RunEvidence, 'checkpoints'> {
  const perColumn = field<EvaluationReport>(evaluation, 'per_column');
  const ks = statistics(field<EvaluationReport['per_column']>(perColumn, 'ks'));
  const tvd = statistics(field<EvaluationReport['per_column']>(perColumn, 'tvd'));
  const figures = new Map(
    docs(field<NonNullable<EvaluationReport['figures']>>(field<EvaluationReport>(evaluation, 'figures'), 'columns'))
      .filter((f) => typeof f['column' satisfies keyof ColumnDistribution] === 'string')
      .map((f) => [f.column as string, f]),
  );
  const schema = docs(field<EvaluationReport>(evaluation, 'schema')).filter(
    (c) => typeof c['name' satisfies keyof ColumnReport] === 'string',
  );
  // Without a schema, the columns the statistics name (their kinds unknown).
  const listed = schema.length
    ? schema.map((c) => ({ name: c.name as string, kind: typeof c.kind === 'string' ? c.kind : 'unknown', report: c }))
    : [...new Set([...ks.keys(), ...tvd.keys()])].map((name) => ({ name, kind: 'unknown', report: {} as Doc }));
  const columns = listed.map(({ name, kind, report }): ColumnFacts => {
    const statistic = ks.has(name) ? 'ks' : tvd.has(name) ? 'tvd' : null;
    const figure = figures.get(name);
    return {
      name,
      kind,
      statistic,
      value: (statistic === 'ks' ? ks.get(name) : tvd.get(name)) ?? null,
      categories: num(report['categories' satisfies keyof ColumnReport]),
      missing: num(report['missing' satisfies keyof ColumnReport]) ?? 0,
      pointMasses: pointMasses(figure),
      skewness: figure ? skewnessOf(figure) : null,
    };
  });
  return { columns, importances: importances(evaluation) };
}

/** The column the evaluation's ml_efficacy predicted, when one was given. */
export const readTarget = (evaluation: unknown): string | null => {
  const target = field<{ target: unknown }>(field<EvaluationReport>(evaluation, 'ml_efficacy'), 'target');
  return typeof target === 'string' ? target : null;
};

function statistics(record: unknown): Map<string, number | null> {
  return new Map(isDoc(record) ? Object.entries(record).map(([name, v]) => [name, num(v)]) : []);
}

function pointMasses(figure: Doc | undefined): PointMassShare[] {
  return docs(figure?.['point_masses' satisfies keyof NumericDistribution]).flatMap((m) => {
    const [value, real, synthetic] = [num(m.value), num(m.real), num(m.synthetic)];
    return value === null || real === null || synthetic === null ? [] : [{ value, real, synthetic }];
  });
}

function skewnessOf(figure: Doc): number | null {
  const edges = figure['edges' satisfies keyof NumericDistribution];
  const shares = figure['real' satisfies keyof ColumnDistribution];
  if (!Array.isArray(edges) || !Array.isArray(shares) || edges.length !== shares.length + 1) return null;
  if (![...edges, ...shares].every((v) => num(v) !== null)) return null;
  return histogramSkewness({
    edges: edges as number[],
    shares: shares as number[],
    masses: pointMasses(figure).map((m) => ({ value: m.value, share: m.real })),
  });
}

/** The detector's importances as shares of the reported gain, largest first. */
function importances(evaluation: unknown): Importance[] {
  const gains = field<{ importances: unknown }>(field<EvaluationReport>(evaluation, 'detection'), 'importances');
  if (!isDoc(gains)) return [];
  const entries = Object.entries(gains).flatMap(([feature, v]) => {
    const gain = num(v);
    return gain !== null && gain > 0 ? [{ feature, gain }] : [];
  });
  const total = entries.reduce((sum, e) => sum + e.gain, 0);
  return entries
    .map((e) => ({ feature: e.feature, share: e.gain / total }))
    .sort((a, b) => b.share - a.share || a.feature.localeCompare(b.feature));
}
