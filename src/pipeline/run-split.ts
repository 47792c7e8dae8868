/** The run's split of the input: planned afresh, the saved model's own, or the whole table when the input is another. */
import type { Table } from '../core/table.js';
import { methodOf, type GenerateRequest } from './generate-request.js';
import { plannedAttempts } from './attempt-plan.js';
import { planSplit, savedSplit, wholeTable } from './split-record.js';

export function chooseSplit(
  table: Table,
  request: GenerateRequest,
  warn: (text: string) => void,
  privateOutput: boolean,
) {
  // Fine-tuning: the saved model's key (its fraction is the default, a smaller one was allowed), so
  // that every row keeps its side: none the saved model trained on joins this run's holdout.
  const key = request.initFrom?.split?.seed ?? request.splitKey ?? request.seed;
  if (!request.loaded)
    return planSplit(
      table,
      request.input,
      { seed: key, fraction: request.holdoutFraction, validation: validationShare(request) },
      privateOutput,
    );
  const saved = savedSplit(request.loaded.split, table, request.input);
  if (saved) return saved;
  // A DP model's split names no input: its rows are split again by the key it recorded.
  if (request.loaded.split && request.loaded.split.input_sha256 === null)
    return planSplit(
      table,
      request.input,
      { seed: request.loaded.split.seed, fraction: request.loaded.split.fraction },
      true,
    );
  warn(
    `${request.input.path} is not the file the model was trained on: metrics compare against all of it, without a holdout`,
  );
  return wholeTable(table, request.input, request.loaded.split?.seed ?? key);
}

/** The validation split's default share of the rows (SPEC section 9). */
export const DEFAULT_VALIDATION_FRACTION = 0.1;

/**
 * The validation split's share: taken only outside DP (there only public rows judge), when the run
 * makes choices (early-stop checkpoints of a method trained by epochs, or more than one attempt), so
 * that the holdout behind the reported figures judged none of them.
 */
function validationShare(request: GenerateRequest): number {
  if (request.privacy || request.loaded) return 0;
  const attempts = plannedAttempts(request.plan);
  // Checkpoints exist only for a method that trains by epochs (aim has none to judge).
  const checkpoints = request.earlyStop && methodOf(request).capabilities.trainsByEpochs;
  return checkpoints || attempts > 1 ? (request.validationFraction ?? DEFAULT_VALIDATION_FRACTION) : 0;
}
