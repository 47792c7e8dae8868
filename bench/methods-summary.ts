/**
 * One table of the methods benchmark's results (bench/results/methods*.json and dp*.json, each
 * written by its own run): every metric, the verdict, epochs, seconds per epoch and, under DP,
 * the spent epsilon against the target. Writes bench/results/summary.md.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const METRICS = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'dcr_train_share'];

interface Result {
  readonly name: string;
  readonly median_wall_s: number;
  readonly output: {
    readonly all_green: boolean;
    readonly violations: string[];
    readonly metrics: Record<string, number | null>;
    readonly epochs?: number;
    readonly seconds_per_epoch?: number;
    readonly threads?: number;
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
  for (const file of files) {
    const data = JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as { date: string; results: Result[] };
    dates.push(`${file}: ${data.date}`);
    for (const r of data.results) {
      const o = r.output;
      const privacy = o.privacy;
      rows.push(
        `| ${r.name} | ${o.all_green ? 'all green' : `fails ${o.violations.join(', ')}`} | ${METRICS.map((m) => cell(o.metrics[m])).join(' | ')} | ${o.epochs ?? '-'} | ${cell(o.seconds_per_epoch, 2)} | ${r.median_wall_s.toFixed(0)} | ${privacy ? `${cell(privacy.spent_epsilon)} of ${cell(privacy.target_epsilon)} (total ${cell(privacy.total_epsilon)})` : '-'} |`,
      );
    }
  }
  const head = `| case | verdict | ${METRICS.join(' | ')} | epochs | s/epoch | wall s | training epsilon spent (total with preprocessing) |`;
  const rule = `|${'---|'.repeat(METRICS.length + 6)}`;
  const text = [
    '# gesalp generate: the three methods, with and without DP',
    '',
    `From ${dates.join('; ')} (one run each, 2 shared cores; see each file for the machine).`,
    '',
    head,
    rule,
    ...rows,
    '',
  ].join('\n');
  if (!existsSync(RESULTS)) throw new Error(`no results folder at ${RESULTS}`);
  writeFileSync(join(RESULTS, 'summary.md'), text);
  process.stdout.write(text);
}
