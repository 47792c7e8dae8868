/** Reads the split a generate report recorded, for `evaluate --split`. */
import { readFile } from 'node:fs/promises';
import { inputError } from '../core/errors.js';
import type { SplitRecord } from './generation-report.js';

export async function readSplitRecord(path: string): Promise<SplitRecord> {
  let report: { report?: string; split?: Partial<SplitRecord> };
  try {
    report = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw inputError(`cannot read the report ${path}: ${reason}`, 'Give the .report.json that gesalp generate wrote.');
  }
  const split = report.split;
  const valid =
    split &&
    Number.isInteger(split.seed) &&
    typeof split.fraction === 'number' &&
    split.fraction >= 0 &&
    split.fraction < 1 &&
    typeof split.input_sha256 === 'string' &&
    Number.isInteger(split.rows);
  if (report.report !== 'generation' || !valid) {
    throw inputError(
      `${path} has no split record (is it a gesalp generate report?)`,
      'Give the .report.json that gesalp generate wrote, or use --holdout FILE.',
    );
  }
  return split as SplitRecord;
}
