/** The terminal view of an evaluation report: verdicts, then the worst columns (warnings go to stderr). */
import { stripVTControlCharacters } from 'node:util';
import Table from 'cli-table3';
import type { EvaluationReport } from '../../metrics/evaluation-report.js';
import { nothingChecked } from '../../metrics/checks.js';
import { METRIC_IDS } from '../../metrics/registry.js';
import type { Style } from './style.js';
import { formatNumber } from '../../core/text/format.js';

const WORST_COLUMNS = 8;
const VERDICT_WIDTH = 60;

export function renderEvaluation(report: EvaluationReport, style: Style): string {
  const checks = new Map(report.checks.map((c) => [c.metric, c]));
  const rows: string[][] = [];
  for (const id of METRIC_IDS) {
    const metric = report.metrics[id];
    const check = checks.get(id);
    const verdict = !check
      ? style.dim(
          metric.status === 'ok'
            ? `reported${metric.message ? ` (${metric.message})` : ''}`
            : (metric.message ?? metric.status),
        )
      : check.status === 'pass'
        ? style.good('pass')
        : check.status === 'fail'
          ? style.bad('FAIL')
          : check.status === 'not_applicable'
            ? style.dim(`n/a: ${check.message ?? ''}`)
            : style.bad(`NOT EVALUATED: ${check.message ?? ''}`);
    rows.push([id, formatNumber(metric.value), check ? `${check.op} ${check.threshold}` : '', verdict]);
  }
  // Checks beyond the metrics (generate's sample_spread), with their own verdict.
  for (const check of report.checks.filter((c) => !(METRIC_IDS as readonly string[]).includes(c.metric))) {
    const verdict = check.status === 'pass' ? style.good('pass') : style.bad(`FAIL: ${check.message ?? ''}`);
    rows.push([check.metric, formatNumber(check.value), `${check.op} ${check.threshold}`, verdict]);
  }
  // A long message (sample_spread's) wraps in its cell instead of widening the table past the terminal.
  const widest = Math.max(...rows.map((r) => stripVTControlCharacters(r[3]).length));
  const table = new Table({
    head: ['metric', 'value', 'threshold', 'verdict'],
    style: { head: [], border: [], compact: true },
    colWidths: [null, null, null, Math.min(VERDICT_WIDTH, widest + 2)],
    wordWrap: true,
  });
  table.push(...rows);
  const lines = [...qualityLine(report), table.toString()];
  const summary = nothingChecked(report.checks)
    ? style.bad('NOTHING CHECKED')
    : report.all_green
      ? style.good('ALL GREEN')
      : style.bad(`NOT ALL GREEN: ${report.violations.map((v) => v.metric).join(', ')}`);
  lines.push(`${summary}  checks passed ${report.compliance_score}%`);
  lines.push(...learnedLines(report));
  const worst = worstColumns(report);
  if (worst.length) {
    const columns = new Table({
      head: ['column', 'statistic', 'value'],
      style: { head: [], border: [], compact: true },
    });
    for (const [name, statistic, value] of worst) columns.push([name, statistic, formatNumber(value)]);
    lines.push(`Worst columns:\n${columns.toString()}`);
  }
  return lines.join('\n');
}

/** The quality score first (SPEC section 5): what a person reads, deciding no check. */
function qualityLine(report: EvaluationReport): string[] {
  const q = report.quality;
  if (!q) return [];
  const trends = q.column_pair_trends === null ? '' : `, pair trends ${q.column_pair_trends}`;
  return [`quality ${q.score} / 100 (column shapes ${q.column_shapes}${trends}; higher is better)`];
}

/** ML efficacy's two scores and the columns that give the synthetic rows away to the detector. */
function learnedLines(report: EvaluationReport): string[] {
  const lines: string[] = [];
  const efficacy = report.ml_efficacy as { target: string; score: string; real: Scores; synthetic: Scores } | null;
  if (efficacy) {
    const score = efficacy.score;
    lines.push(
      `ml_efficacy (${efficacy.target}): ${score} ${formatNumber(efficacy.real[score])} trained on real rows, ${formatNumber(efficacy.synthetic[score])} on synthetic rows`,
    );
  }
  const importances = Object.entries((report.detection?.importances ?? {}) as Scores).slice(0, 3);
  if (importances.length && (report.metrics.detection_auc.value ?? 0) > 0.6)
    lines.push(
      `detection: the columns that give the synthetic rows away most: ${importances.map(([name, share]) => `${name} (${Math.round((share ?? 0) * 100)} %)`).join(', ')}`,
    );
  return lines;
}

type Scores = Record<string, number | null>;

function worstColumns(report: EvaluationReport): [string, string, number][] {
  const all: [string, string, number][] = [
    ...Object.entries(report.per_column.ks)
      .filter((e): e is [string, number] => e[1] !== null)
      .map(([n, v]): [string, string, number] => [n, 'KS', v]),
    ...Object.entries(report.per_column.tvd)
      .filter((e): e is [string, number] => e[1] !== null)
      .map(([n, v]): [string, string, number] => [n, 'TVD', v]),
  ];
  return all.sort((a, b) => b[2] - a[2]).slice(0, WORST_COLUMNS);
}
