/** One row per attempt of a retry loop or grid: the parameters that varied, the metrics, the verdict, the time. */
import Table from 'cli-table3';
import { formatDuration } from '../../core/text/duration.js';
import { formatNumber } from '../../core/text/format.js';
import type { AttemptRecord } from '../../pipeline/report.js';
import type { Style } from './style.js';

const METRIC_COLUMNS = [
  ['ks_mean', 'ks'],
  ['tvd_mean', 'tvd'],
  ['corr_delta', 'corr'],
  ['dup_rate', 'dup'],
  ['mia_auc', 'mia'],
] as const;

export function renderAttempts(rows: readonly AttemptRecord[], style: Style): string {
  // Every method's parameters, in order of appearance; a parameter another method lacks shows as '-'.
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.parameters)))];
  const varying = names.filter((n) => new Set(rows.map((r) => r.parameters[n])).size > 1 || n === 'n_iter');
  const methods = new Set(rows.map((r) => r.method)).size > 1;
  const dp = rows.some((r) => r.epsilon !== null && r.epsilon !== undefined);
  const front = rows.some((r) => r.pareto_front !== null);
  const table = new Table({
    head: [
      '#',
      ...(methods ? ['method'] : []),
      ...(dp ? ['epsilon'] : []),
      ...varying,
      'epochs',
      ...METRIC_COLUMNS.map(([, label]) => label),
      'quality',
      'verdict',
      'time',
      ...(front ? ['pareto'] : []),
      '',
    ],
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) {
    const verdict = row.pruned
      ? `pruned at epoch ${row.pruned.at_epoch}`
      : row.all_green === null
        ? 'not judged'
        : row.all_green
          ? style.good('all green')
          : style.bad(`fail: ${row.violations.map((v) => v.metric).join(', ')}`);
    table.push([
      String(row.attempt),
      ...(methods ? [row.method] : []),
      ...(dp ? [row.epsilon === null || row.epsilon === undefined ? '-' : formatNumber(row.epsilon, 4)] : []),
      ...varying.map((n) => (n in row.parameters ? formatNumber(row.parameters[n], 4) : '-')),
      row.epochs_done === null ? '-' : String(row.epochs_done),
      ...METRIC_COLUMNS.map(([id]) =>
        row.metrics[id] === null || row.metrics[id] === undefined ? '-' : formatNumber(row.metrics[id] as number, 3),
      ),
      row.quality === null ? '-' : row.quality.toFixed(1),
      verdict,
      row.train_seconds === null || row.sample_seconds === null
        ? '-'
        : formatDuration(row.train_seconds + row.sample_seconds),
      ...(front ? [row.pareto_front ? 'front' : ''] : []),
      row.kept ? 'kept' : '',
    ]);
  }
  return table.toString();
}
