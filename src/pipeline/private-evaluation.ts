/** Under DP, asked for: the kept rows judged against the private rows, kept apart from every DP release. */
import { alignLevels } from '../core/align-levels.js';
import type { InputFile } from '../core/io/load-inputs.js';
import type { Schema } from '../core/schema/schema.js';
import type { Table } from '../core/table.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import { evaluateAgainstInput, type AttemptContext, type AttemptOutcome } from './attempt.js';
import type { WrittenRows } from './chunked-output.js';
import { evaluationReport } from './generation-assembly.js';
import type { GenerateRequest } from './generate-request.js';
import { splitFiles, type SplitRecord } from './split-record.js';

/** Under DP: the metrics against the private rows, which the guarantee does not cover (SPEC section 8). */
export interface PrivateEvaluation {
  readonly report: 'private_evaluation';
  readonly covered_by_privacy_guarantee: false;
  readonly notice: string;
  readonly input: InputFile;
  readonly split: SplitRecord;
  readonly evaluation: EvaluationReport;
}

export const PRIVATE_EVALUATION_NOTICE =
  'NOT COVERED BY THE DIFFERENTIAL PRIVACY GUARANTEE: these metrics read the private training and holdout rows exactly. Keep this file with the input, never with the synthetic rows.';

/** The kept rows against the private training and holdout rows: asked for, computed once, never read by a choice. */
export async function privateEvaluationOf(
  request: GenerateRequest,
  run: {
    readonly train: Table;
    readonly holdout: Table | undefined;
    readonly inputRows: number;
    readonly schema: Schema;
    readonly kept: AttemptOutcome;
    readonly output: WrittenRows;
    readonly split: SplitRecord;
    readonly context: AttemptContext;
  },
): Promise<PrivateEvaluation> {
  const { train, holdout, kept } = run;
  // The synthetic rows carry the released level lists; the private rows, the file's: codes compare
  // once the rows are on the private lists (a level not released reads as its placeholder).
  const synthetic = alignLevels(kept.synthetic, train);
  const evaluation = await evaluateAgainstInput({ ...run.context, train, holdout }, synthetic, kept.sampleChecks);
  const exactSplit = {
    ...run.split,
    rows: run.inputRows,
    train_rows: train.rowCount,
    holdout_rows: holdout?.rowCount ?? 0,
  };
  return {
    report: 'private_evaluation',
    covered_by_privacy_guarantee: false,
    notice: PRIVATE_EVALUATION_NOTICE,
    input: request.input,
    split: { ...exactSplit, input_sha256: request.input.sha256 },
    evaluation: await evaluationReport(request, evaluation, {
      schema: run.schema,
      real: train,
      synthetic,
      files: splitFiles(request.input, train.rowCount, holdout?.rowCount ?? 0),
      output: run.output,
    }),
  };
}
