/**
 * analyze-failure as a library call: why a run is not all green and what to change (failure
 * types, severity, root cause with the evidence each rule read, parameter changes), as
 * `gesalp analyze-failure --json` prints it.
 */
import { analysisRecord, diagnose, type AnalysisRecord } from '../optimizer/diagnose.js';
import type { DpSetting, Situation } from '../optimizer/situation.js';
import { describeRun, type RunFacts } from './run-description.js';

export interface FailureAnalysis extends AnalysisRecord {
  /** Whether any metric had a value: without one nothing passed or failed. */
  readonly evaluated: boolean;
  /** Null for rows whose method the report does not name (an evaluation report): the advice is then method-neutral. */
  readonly method: string | null;
  readonly train_rows: number;
  readonly columns: number;
  readonly parameters: Readonly<Record<string, number>>;
  readonly dp: DpSetting | null;
}

export const analyzeFailure = (facts: RunFacts): FailureAnalysis => analysisOf(describeRun(facts));

/** The analysis of a situation however it was described (the CLI's flags, or RunFacts). */
export function analysisOf(situation: Situation): FailureAnalysis {
  const analysis = diagnose(situation);
  const evaluated = Object.values(situation.metrics).some((v) => v !== null && v !== undefined);
  return {
    ...analysisRecord(analysis),
    evaluated,
    method: situation.method,
    train_rows: situation.trainRows,
    columns: situation.columns,
    parameters: situation.params,
    dp: situation.dp,
  };
}
