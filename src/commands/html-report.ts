/** --html for evaluate and generate: the flag's checks and the one call that writes the page. */
import { usageError } from '../core/errors.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import type { GenerationReport } from '../pipeline/report.js';
import { integerOption } from './options.js';

export const HEATMAP_COLUMNS_HELP =
  'columns in the association heatmaps (and their matrices in the JSON report); above it, those that differ most (default 20)';
export const heatmapColumnsOption = integerOption(2);

/** The HTML goes to a file: stdout already carries the table or the JSON. */
export function checkHtmlPath(path: string | undefined): void {
  if (path === '-')
    throw usageError('--html - would put the page on stdout beside the table or JSON', 'Give --html a file name.');
}

/** Renders the page and writes it atomically; returns the seconds it took. */
export async function writeHtmlReport(
  path: string,
  report: { evaluation: EvaluationReport | null; generation?: GenerationReport; notice?: string },
): Promise<number> {
  const started = performance.now();
  const [{ renderHtmlReport }, { writeFileAtomic }] = await Promise.all([
    import('../presentation/html/page.js'),
    import('../core/io/atomic-write.js'),
  ]);
  const html = await renderHtmlReport({ ...report, versions: { node: process.versions.node } });
  await writeFileAtomic(path, html);
  return (performance.now() - started) / 1000;
}
