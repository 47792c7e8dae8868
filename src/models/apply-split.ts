/** Rebuilds the training and holdout rows of a generate run from its split record and the original input. */
import { inputError } from '../core/errors.js';
import type { InputFile } from '../core/io/load-inputs.js';
import { splitRows } from '../core/split.js';
import { takeRows, type Table } from '../core/table.js';
import type { SplitRecord } from './generation-report.js';

export interface SplitTables {
  readonly real: Table;
  readonly holdout: Table | undefined;
  /** real (training split), synthetic, holdout (split): for the report's inputs. */
  readonly files: InputFile[];
}

export function applySplitRecord(
  record: SplitRecord,
  input: Table,
  files: InputFile[],
  reportPath: string,
): SplitTables {
  const [inputFile, syntheticFile] = files;
  if (inputFile.sha256 !== record.input_sha256 || input.rowCount !== record.rows) {
    throw inputError(
      `${inputFile.path} is not the file ${reportPath} was generated from (its SHA-256 or row count differs)`,
      'Give the original input file as REAL: --split rebuilds the split from it.',
    );
  }
  const split = splitRows(input.rowCount, record);
  const holdout = split.holdout.length ? takeRows(input, split.holdout) : undefined;
  const parts = splitFiles(inputFile, split.train.length, split.holdout.length);
  return {
    real: takeRows(input, split.train),
    holdout,
    files: [parts.real, syntheticFile, ...(parts.holdout ? [parts.holdout] : [])],
  };
}

/** The input file as the report lists it when only part of its rows play a role. */
export function splitFiles(
  input: InputFile,
  trainRows: number,
  holdoutRows: number,
): { real: InputFile; holdout: InputFile | null } {
  const part = (label: string, rows: number): InputFile => ({ ...input, path: `${input.path} (${label})`, rows });
  return { real: part('training split', trainRows), holdout: holdoutRows ? part('holdout split', holdoutRows) : null };
}
