/**
 * The split record a generate report keeps (seed, fraction, input hash, row counts), from which
 * `evaluate --split` and a loaded model rebuild train and holdout without any real row on disk.
 */
import { readFile } from 'node:fs/promises';
import { inputError } from '../core/errors.js';
import type { InputFile } from '../core/io/load-inputs.js';
import { holdoutCount, splitRows, type Split, type SplitSpec } from '../core/split.js';
import { takeRows, type Table } from '../core/table.js';

export interface SplitRecord {
  readonly seed: number;
  readonly fraction: number;
  readonly input_sha256: string;
  readonly rows: number;
  readonly train_rows: number;
  readonly holdout_rows: number;
}

/** The split record of a generate report (for `evaluate --split`). */
export async function readSplitRecord(path: string): Promise<SplitRecord> {
  let report: { report?: unknown; split?: unknown } | null;
  try {
    report = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw inputError(`cannot read the report ${path}: ${reason}`, 'Give the .report.json that gesalp generate wrote.');
  }
  if (report?.report !== 'generation') {
    throw inputError(
      `${path} has no split record (is it a gesalp generate report?)`,
      'Give the .report.json that gesalp generate wrote, or use --holdout FILE.',
    );
  }
  return parseSplitRecord(report.split, path);
}

/** A split record, checked field by field (never coerced). */
export function parseSplitRecord(value: unknown, path: string): SplitRecord {
  const split = (typeof value === 'object' && value !== null ? value : {}) as Partial<
    Record<keyof SplitRecord, unknown>
  >;
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const valid =
    count(split.seed) &&
    typeof split.fraction === 'number' &&
    split.fraction >= 0 &&
    split.fraction < 1 &&
    typeof split.input_sha256 === 'string' &&
    count(split.rows) &&
    count(split.train_rows) &&
    count(split.holdout_rows) &&
    (split.train_rows as number) + (split.holdout_rows as number) === split.rows;
  if (!valid) {
    throw inputError(
      `${path} has no valid split record (seed, fraction, input_sha256, rows, train_rows, holdout_rows)`,
      'Give the .report.json that gesalp generate wrote, or use --holdout FILE.',
    );
  }
  return split as SplitRecord;
}

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

/** The train/holdout split of a new run, with its record. */
export function planSplit(table: Table, input: InputFile, spec: SplitSpec): { record: SplitRecord; split: Split } {
  const rows = table.rowCount;
  const held = holdoutCount(rows, spec.fraction);
  if (rows - held < 2) {
    throw inputError(
      `${input.path} has ${rows} rows: too few to train on after keeping ${held} for the holdout`,
      'Give a table with more rows, or a smaller holdout fraction.',
    );
  }
  const split = splitRows(rows, spec);
  return { record: recordOf(spec, input, split), split };
}

/**
 * The split a saved model was trained on, when `input` is the file it was trained from; otherwise
 * every row counts as real and there is no holdout (null: the caller says so).
 */
export function savedSplit(
  saved: SplitRecord | null,
  table: Table,
  input: InputFile,
): { record: SplitRecord; split: Split } | null {
  if (!saved || saved.input_sha256 !== input.sha256 || saved.rows !== table.rowCount) return null;
  return { record: saved, split: splitRows(table.rowCount, saved) };
}

export function wholeTable(table: Table, input: InputFile, seed: number): { record: SplitRecord; split: Split } {
  const split = { train: Int32Array.from({ length: table.rowCount }, (_, i) => i), holdout: new Int32Array(0) };
  return { record: recordOf({ seed, fraction: 0 }, input, split), split };
}

const recordOf = (spec: SplitSpec, input: InputFile, split: Split): SplitRecord => ({
  seed: spec.seed,
  fraction: spec.fraction,
  input_sha256: input.sha256,
  rows: split.train.length + split.holdout.length,
  train_rows: split.train.length,
  holdout_rows: split.holdout.length,
});
