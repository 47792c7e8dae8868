/** One row per attempt of a retry loop or grid: the parameters that varied, the metrics, the verdict, the time. */
import Table from 'cli-table3';
import { formatDuration } from './duration.js';
import { formatNumber } from './format.js';
import type { Style } from './style.js';

export interface AttemptRow {
  readonly attempt: number;
  readonly params: Readonly<Record<string, number>>;
  /** Epochs trained when early stopping ended before n_iter. */
  readonly epochsDone: number | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly allGreen: boolean;
  /** Failing checks by name, or a short reason when nothing could be evaluated. */
  readonly failing: string;
  readonly seconds: number;
  readonly chosen: boolean;
}

const METRIC_COLUMNS = [
  ['ks_mean', 'ks'],
  ['tvd_mean', 'tvd'],
  ['corr_delta', 'corr'],
  ['dup_rate', 'dup'],
  ['mia_auc', 'mia'],
] as const;

export function renderAttempts(rows: readonly AttemptRow[], style: Style): string {
  const names = Object.keys(rows[0]?.params ?? {});
  const varying = names.filter((n) => new Set(rows.map((r) => r.params[n])).size > 1 || n === 'n_iter');
  const table = new Table({
    head: ['#', ...varying, 'epochs', ...METRIC_COLUMNS.map(([, label]) => label), 'verdict', 'time', ''],
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) {
    const verdict = row.allGreen ? style.good('all green') : style.bad(`fail: ${row.failing}`);
    table.push([
      String(row.attempt),
      ...varying.map((n) => formatNumber(row.params[n], 4)),
      row.epochsDone === null ? '-' : String(row.epochsDone),
      ...METRIC_COLUMNS.map(([id]) =>
        row.metrics[id] === null || row.metrics[id] === undefined ? '-' : formatNumber(row.metrics[id] as number, 3),
      ),
      verdict,
      formatDuration(row.seconds),
      row.chosen ? 'kept' : '',
    ]);
  }
  return table.toString();
}
