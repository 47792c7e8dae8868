/**
 * Fine-tuning a saved model (`--init-from`) as the pipeline sees it: the saved model's start
 * (its transform and weights, src/models/fine-tune.ts), the architecture parameters it fixes, its
 * DP record, and the report's record of it, which names the model by what it is (method,
 * parameters, training, a hash of its files), never by where it lies.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { optionError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { recodeForFineTuning, schemaMismatch, type FineTuneStart } from '../models/fine-tune.js';
import { REGISTRY, type Registry } from '../models/registry.js';
import { MODEL_JSON, readOptionalSavedFile } from '../models/saved-file.js';
import type { ResolvedParam } from '../models/resolve-params.js';
import type { Synthesizer } from '../models/synthesizer.js';
import type { PrivacyRecord } from './privacy-record.js';
import type { SplitRecord } from './split-record.js';

/** The report's record of the model a run fine-tuned (JSON: snake_case). */
export interface InitFromRecord {
  readonly method: string;
  /** The parameters it was trained with. */
  readonly parameters: Record<string, number>;
  /** How far its training went (null when the file kept no training summary). */
  readonly training: { readonly epochs_done: number; readonly epochs: number; readonly steps_done: number } | null;
  /** Its DP record's totals (null: it was trained without a privacy budget). */
  readonly privacy: { readonly total_epsilon: number; readonly total_delta: number } | null;
  /** SHA-256 over its model.json and weight files (each name, then its bytes), in the method's file order. */
  readonly sha256: string;
}

/** What a fine-tuning run starts from. */
export interface InitFrom {
  readonly start: FineTuneStart;
  /** The architecture parameters the saved model fixes (the descriptor's fineTune.fixed). */
  readonly fixed: readonly string[];
  /** The saved model's DP record (null: trained without a privacy budget). */
  readonly privacy: PrivacyRecord | null;
  /**
   * The split it was trained on (split.json; null: the folder has none). Its key and fraction split
   * this run's rows, so that every row stays on the side it had: the saved model's training rows
   * never land in this run's holdout (the split is keyed by row content, src/core/split.ts).
   */
  readonly split: SplitRecord | null;
  readonly record: InitFromRecord;
  /** For messages only (the report never holds it). */
  readonly dir: string;
  /** What the run says about the saved model, kept in the report's warnings too. */
  readonly warnings?: readonly string[];
}

/** The hash of a model folder's own files (those of its method that exist). */
export async function modelFilesHash(dir: string, method: string, registry: Registry = REGISTRY): Promise<string> {
  const hash = createHash('sha256');
  const names = registry.has(method) ? registry.get(method).files : [MODEL_JSON];
  for (const name of names) {
    const bytes = await readOptionalSavedFile(join(dir, name));
    if (bytes === null) continue;
    hash.update(`${name}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

export function initFromRecord(model: Synthesizer, privacy: PrivacyRecord | null, sha256: string): InitFromRecord {
  const t = model.training;
  return {
    method: model.method,
    parameters: { ...model.params },
    training: t ? { epochs_done: t.epochsDone, epochs: t.epochs, steps_done: t.stepsDone } : null,
    privacy: privacy ? { total_epsilon: privacy.total_epsilon, total_delta: privacy.total_delta } : null,
    sha256,
  };
}

/**
 * The table must have the saved model's columns: missing, extra, renamed, reordered or retyped
 * ones are an input error (exit 3) naming them. `values` (outside DP, given the training rows
 * alone): their values too: a level the saved transform lacks, or a gap where it learnt none, is
 * refused naming the column and the levels. Under DP that refusal would tell that a private row
 * holds it, so the model encodes such values without refusing them (src/models/fine-tune.ts); and
 * the kinds are compared only once they are the run's (`names` before, `kinds` after), never as
 * read from the rows.
 */
export function checkFineTuneColumns(
  init: InitFrom,
  table: Table,
  input: string,
  check: 'names' | 'kinds' | 'values',
): void {
  const problem = schemaMismatch(table, init.start.columns, check !== 'names');
  if (problem)
    throw optionError(
      'input',
      'init_from',
      `${input} does not have the columns of the model in {init_from} ${init.dir}: ${problem}`,
      `Fine-tune on rows with the model's columns (${init.start.columns.map((c) => `${c.name}: ${c.kind}`).join(', ')}), in that order, or train a new model without {init_from}.`,
    );
  if (check === 'values') recodeForFineTuning(table, init.start, 'refuse');
}

/** The first attempt's parameters with the architecture ones the saved model's (the user's were checked not to differ). */
export function withSavedArchitecture(params: readonly ResolvedParam[], init: InitFrom): ResolvedParam[] {
  return params.map((p) =>
    init.fixed.includes(p.name) && init.start.params[p.name] !== undefined
      ? { name: p.name, value: init.start.params[p.name], source: 'the model fine-tuned (init_from)' }
      : p,
  );
}

const round = (x: number): number => Number(x.toPrecision(6));

/**
 * A DP run that fine-tuned a DP model: basic composition. The new model's weights depend on the
 * saved model's, which may have seen the same private rows, so a row in both inputs is covered
 * only by the sum of both runs' (epsilon, delta). The totals are the whole chain's; this run's own
 * spend stays in the other fields.
 */
export function composedPrivacy(record: PrivacyRecord, earlier: PrivacyRecord): PrivacyRecord {
  return {
    ...record,
    total_epsilon: round(record.total_epsilon + earlier.total_epsilon),
    total_delta: record.total_delta + earlier.total_delta,
    composition: {
      rule: 'basic (sequential) composition: this run fine-tuned a model trained under DP, possibly on the same rows, so the totals add both runs',
      this_run_epsilon: record.total_epsilon,
      this_run_delta: record.total_delta,
      init_from_epsilon: earlier.total_epsilon,
      init_from_delta: earlier.total_delta,
    },
  };
}
