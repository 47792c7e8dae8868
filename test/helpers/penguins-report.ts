/** The HTML report of the penguins fixture (train, baseline synthetic, holdout), built as evaluate builds it. */
import { useBackend } from '../../src/core/backend.js';
import { DEFAULT_THRESHOLDS } from '../../src/metrics/thresholds.js';
import { loadInputs } from '../../src/core/io/load-inputs.js';
import { evaluateTables } from '../../src/metrics/evaluate.js';
import { buildEvaluationReport, type EvaluationReport } from '../../src/metrics/evaluation-report.js';
import { buildFigures } from '../../src/metrics/figures/figures.js';
import { renderHtmlReport } from '../../src/presentation/html/page.js';

export const PENGUIN_COLUMNS = [
  'Species',
  'Island',
  'Beak Length (mm)',
  'Beak Depth (mm)',
  'Flipper Length (mm)',
  'Body Mass (g)',
  'Sex',
];

export async function penguinsReport(): Promise<{ report: EvaluationReport; html: string }> {
  const backend = await useBackend('auto');
  const loaded = await loadInputs(
    ['fixtures/penguins/train.csv', 'fixtures/penguins/baseline-synthetic.csv', 'fixtures/penguins/holdout.csv'],
    {},
  );
  const [real, synthetic, holdout] = loaded.tables;
  const evaluation = await evaluateTables(real, synthetic, holdout, {
    thresholds: DEFAULT_THRESHOLDS,
    backend: backend.name,
    seed: 0,
  });
  const figures = await buildFigures(evaluation, { real, synthetic }, { seed: 0 });
  const report = buildEvaluationReport(evaluation, {
    files: { real: loaded.files[0], synthetic: loaded.files[1], holdout: loaded.files[2] },
    schema: loaded.schema,
    real,
    thresholds: DEFAULT_THRESHOLDS,
    backend: backend.name,
    seed: 0,
    timings: {},
    figures,
  });
  return { report, html: await renderHtmlReport({ evaluation: report }) };
}
