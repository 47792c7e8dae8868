/**
 * One table of the methods benchmark's results (bench/results/methods*.json and dp*.json, each
 * written by its own run): every metric, the verdict, epochs, seconds per epoch, the training time
 * against the estimate `gesalp suggest` gives for it and, under DP, the spent epsilon against the
 * target. A run recorded before the estimate was stored is estimated here from its recorded
 * parameters and epochs. Writes bench/results/summary.md.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath } from './datasets.js';
import { estimateColumns, refitStepCost, tableFacts, type EstimateColumns, type TableFacts } from './estimate.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const METRICS = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'dcr_train_share'];

interface Result {
  readonly name: string;
  readonly args: string[];
  readonly median_wall_s: number;
  readonly output: Partial<EstimateColumns> & {
    /** Absent from the DP protocol's files (dp-aim-mst and others), which judge by their own rule. */
    readonly all_green?: boolean;
    readonly violations?: string[];
    readonly metrics: Record<string, number | null>;
    readonly epochs?: number;
    readonly train_s?: number;
    readonly seconds_per_epoch?: number;
    readonly threads?: number;
    readonly parameters?: Record<string, number>;
    readonly privacy?: { target_epsilon: number; spent_epsilon: number; total_epsilon: number } | null;
  };
}

const cell = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '-' : v.toFixed(digits));

export async function benchMethodsSummary(): Promise<void> {
  const files = readdirSync(RESULTS)
    .filter((f) => /^(methods|dp)(-.*)?\.json$/.test(f))
    .sort();
  const rows: string[] = [];
  const dates: string[] = [];
  const timed: {
    method: string;
    run: Required<Pick<Result['output'], 'parameters' | 'epochs' | 'train_s'>>;
    table: TableFacts;
  }[] = [];
  for (const file of files) {
    const data = JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as { date: string; results: Result[] };
    dates.push(`${file}: ${data.date}`);
    for (const r of data.results) {
      const o = r.output;
      const privacy = o.privacy;
      // DP runs train differently (per-example clipping): the estimate is for training without DP.
      const estimate = privacy || !file.startsWith('methods') ? null : await estimateOf(r);
      if (estimate && o.parameters && o.epochs && o.train_s)
        timed.push({
          method: methodOf(r),
          run: { parameters: o.parameters, epochs: o.epochs, train_s: o.train_s },
          table: estimate,
        });
      rows.push(
        `| ${r.name} | ${verdict(o)} | ${METRICS.map((m) => cell(o.metrics[m])).join(' | ')} | ${o.epochs ?? '-'} | ${cell(o.seconds_per_epoch, 2)} | ${cell(o.train_s, 0)} | ${cell(estimate?.estimate_s, 0)} | ${cell(estimate?.estimate_ratio, 2)} | ${r.median_wall_s.toFixed(0)} | ${privacy ? `${cell(privacy.spent_epsilon)} of ${cell(privacy.target_epsilon)} (total ${cell(privacy.total_epsilon)})` : '-'} |`,
      );
    }
  }
  const head = `| case | verdict | ${METRICS.join(' | ')} | epochs | s/epoch | train s | estimate s (all epochs) | estimate / train s (epochs run) | wall s | training epsilon spent (total with preprocessing) |`;
  const rule = `|${'---|'.repeat(METRICS.length + 9)}`;
  const text = [
    '# gesalp generate: the three methods, with and without DP',
    '',
    `From ${dates.join('; ')} (one run each, 2 shared cores; see each file for the machine).`,
    '',
    head,
    rule,
    ...rows,
    '',
    '"estimate s" is what `gesalp suggest` prints before the run (every planned epoch); the ratio compares its estimate for the epochs that ran with the measured train time. The step costs that would fit these runs best (src/models/*/time-estimate.ts holds the ones in use):',
    '',
    ...['ddpm', 'ctgan', 'tvae'].map((method) => {
      const fit = refitStepCost(
        method,
        timed.filter((t) => t.method === method).map((t) => ({ ...t.run, table: t.table })),
      );
      return `- ${method}: ${fit ? `${fit.per_step_ms} ms a step + ${fit.per_row_weight_ns} ns per row and weight` : 'too few runs'}`;
    }),
    '',
  ].join('\n');
  if (!existsSync(RESULTS)) throw new Error(`no results folder at ${RESULTS}`);
  writeFileSync(join(RESULTS, 'summary.md'), text);
  process.stdout.write(text);
}

const verdict = (o: Result['output']): string =>
  o.all_green === undefined ? '-' : o.all_green ? 'all green' : `fails ${(o.violations ?? []).join(', ')}`;

const methodOf = (r: Result): string => r.args[r.args.indexOf('--method') + 1];

/** The run's estimate as recorded, else computed from its recorded parameters and epochs (null without them). */
async function estimateOf(r: Result): Promise<EstimateColumns | null> {
  const o = r.output;
  if (o.estimate_ratio !== undefined && o.train_rows !== undefined) return o as EstimateColumns;
  if (!o.parameters || !o.epochs || !o.train_s) return null;
  const table = await tableFacts(datasetPath(`${r.name.split(':')[0]}.csv`)).catch(() => null);
  return (
    table && estimateColumns(methodOf(r), table, { parameters: o.parameters, epochs: o.epochs, train_s: o.train_s })
  );
}
