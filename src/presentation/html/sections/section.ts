/** The page is an ordered list of sections; each draws itself from the report, or is left out. */
import type { EvaluationReport } from '../../../metrics/evaluation-report.js';
import type { GenerationReport } from '../../../pipeline/report.js';

export interface ReportPage {
  /**
   * The evaluation: `gesalp evaluate`'s report, or the evaluation inside generate's; null for a DP
   * run that nothing public judged (the page then shows only DP releases).
   */
  readonly evaluation: EvaluationReport | null;
  /** A warning the page opens with (the private evaluation's: outside the DP guarantee). */
  readonly notice?: string;
  /** generate's report, for the parameters, the training and the attempts. */
  readonly generation?: GenerationReport;
  /** Versions the reports do not record (Node's, given by the command). */
  readonly versions?: Record<string, string>;
}

export interface Section {
  /** The element id (a link target) and the heading. */
  readonly id: string;
  readonly title: string;
  /** The section's HTML below its heading, or null when it has nothing to show for this report. */
  render(page: ReportPage): Promise<string | null> | string | null;
}
