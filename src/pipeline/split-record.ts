/**
 * The split record a generate report keeps (the rule, its key and fraction; outside DP also the
 * input's hash and row counts), from which `evaluate --split` and a loaded model rebuild train and
 * holdout without any real row on disk.
 */
import { readFile } from 'node:fs/promises';
import { inputError, optionError } from '../core/errors.js';
import type { InputFile } from '../core/io/load-inputs.js';
import { splitRows, type Split, type SplitSpec } from '../core/split.js';
import { takeRows, type Table } from '../core/table.js';

export interface SplitRecord {
  /** Membership by a keyed hash of each row's content (SPEC section 8): the only rule there is. */
  readonly rule: typeof SPLIT_RULE;
  /** The hash's key. */
  readonly seed: number;
  readonly fraction: number;
  /** The input's SHA-256 and exact row counts; null under DP, where each would be a release outside the budget. */
  readonly input_sha256: string | null;
  readonly rows: number | null;
  readonly train_rows: number | null;
  readonly holdout_rows: number | null;
  /**
   * The validation split that judged checkpoints and attempts, apart from the holdout (SPEC section
   * 9): its share of the rows, and its count outside DP; null when the run took none.
   */
  readonly validation: { readonly fraction: number; readonly rows: number | null } | null;
}

export const SPLIT_RULE = 'row_hash';

/** An input error about the split option: its hint names options as `{split}`, `{holdout}` (the CLI: its flags). */
const splitError = (message: string, hint: string) => optionError('input', 'split', message, hint, ['holdout']);

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
    throw splitError(
      `${path} has no split record (is it a gesalp generate report?)`,
      'Give the .report.json that gesalp generate wrote, or use {holdout} FILE.',
    );
  }
  return parseSplitRecord(report.split, path);
}

/** A split record, checked field by field (never coerced). */
export function parseSplitRecord(value: unknown, path: string): SplitRecord {
  const split = (typeof value === 'object' && value !== null ? value : {}) as Partial<
    Record<keyof SplitRecord, unknown>
  >;
  if (split.rule === undefined && 'input_sha256' in split)
    throw splitError(
      `${path} holds a split drawn by an older gesalp (by row position), which this version cannot rebuild`,
      'Give the holdout rows with {holdout} FILE, or generate again.',
    );
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const countOrNull = (v: unknown) => v === null || count(v);
  const counts = [split.rows, split.train_rows, split.holdout_rows];
  const valid =
    split.rule === SPLIT_RULE &&
    count(split.seed) &&
    typeof split.fraction === 'number' &&
    split.fraction >= 0 &&
    split.fraction < 1 &&
    (typeof split.input_sha256 === 'string' || split.input_sha256 === null) &&
    counts.every(countOrNull) &&
    (split.validation === undefined || split.validation === null || validValidation(split.validation)) &&
    (counts.every((c) => c === null) ||
      (counts.every((c) => c !== null) &&
        (split.train_rows as number) +
          (split.holdout_rows as number) +
          ((split.validation as { rows?: number } | null | undefined)?.rows ?? 0) ===
          split.rows));
  if (!valid) {
    throw splitError(
      `${path} has no valid split record (rule, seed, fraction, input_sha256, rows, train_rows, holdout_rows)`,
      'Give the .report.json that gesalp generate wrote, or use {holdout} FILE.',
    );
  }
  return { ...(split as SplitRecord), validation: (split.validation as SplitRecord['validation']) ?? null };
}

function validValidation(value: unknown): boolean {
  const v = value as { fraction?: unknown; rows?: unknown } | null;
  return (
    typeof v?.fraction === 'number' &&
    v.fraction > 0 &&
    v.fraction < 1 &&
    (v.rows === null || (Number.isInteger(v.rows) && (v.rows as number) >= 0))
  );
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
  // A DP run records no hash (it would identify the input's rows): its split is rebuilt unchecked.
  if (record.input_sha256 !== null && (inputFile.sha256 !== record.input_sha256 || input.rowCount !== record.rows)) {
    throw splitError(
      `${inputFile.path} is not the file ${reportPath} was generated from (its SHA-256 or row count differs)`,
      'Give the original input file as REAL: {split} rebuilds the split from it.',
    );
  }
  // The validation rows judged the run's choices: they are neither its training rows nor its holdout.
  const split = splitRows(input, { ...record, validation: record.validation?.fraction ?? 0 });
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

/**
 * The train/holdout split of a new run, with its record; `private`: a DP run, whose record holds
 * neither the input's hash nor its counts, and whose refusal of a tiny table names no count.
 */
export function planSplit(
  table: Table,
  input: InputFile,
  spec: SplitSpec,
  privateRun = false,
): { record: SplitRecord; split: Split } {
  const split = splitRows(table, spec);
  if (split.train.length < 2) {
    throw inputError(
      privateRun
        ? `${input.path} leaves fewer than 2 rows to train on after the holdout`
        : `${input.path} has ${table.rowCount} rows: too few to train on after keeping ${split.holdout.length} for the holdout`,
      'Give a table with more rows, or a smaller holdout fraction.',
    );
  }
  return { record: recordOf(spec, input, split, privateRun), split };
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
  return { record: saved, split: splitRows(table, { ...saved, validation: saved.validation?.fraction ?? 0 }) };
}

export function wholeTable(table: Table, input: InputFile, seed: number): { record: SplitRecord; split: Split } {
  const split = {
    train: Int32Array.from({ length: table.rowCount }, (_, i) => i),
    holdout: new Int32Array(0),
    validation: new Int32Array(0),
  };
  return { record: recordOf({ seed, fraction: 0 }, input, split), split };
}

const recordOf = (spec: SplitSpec, input: InputFile, split: Split, privateRun = false): SplitRecord => ({
  rule: SPLIT_RULE,
  seed: spec.seed,
  fraction: spec.fraction,
  input_sha256: privateRun ? null : input.sha256,
  rows: privateRun ? null : split.train.length + split.holdout.length + split.validation.length,
  train_rows: privateRun ? null : split.train.length,
  holdout_rows: privateRun ? null : split.holdout.length,
  validation: spec.validation ? { fraction: spec.validation, rows: privateRun ? null : split.validation.length } : null,
});
