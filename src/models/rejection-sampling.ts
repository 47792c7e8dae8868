/**
 * Rejection sampling, shared by --condition and the metadata file's constraints: rows are drawn in
 * batches and only those a test keeps are kept, until enough are kept or `limit` rows were drawn.
 * Batches are sized by the share kept so far (with a margin), so a common case takes one or two
 * rounds; past the limit the caller's error says what was too rare, rather than sampling for ever.
 */
import { isCategorical, takeRows, type Table } from '../core/table.js';

export interface RejectionPlan {
  /** Rows to keep. */
  readonly rows: number;
  /** Rows drawn at most; reaching it without `rows` kept is `giveUp`. */
  readonly limit: number;
  /** The smallest batch drawn (within the limit). */
  readonly minBatch: number;
  /** The largest batch drawn, to bound memory when the share kept is small (default: no bound). */
  readonly maxBatch?: number;
  /** The first batch's size (default: sized like the others). */
  readonly firstBatch?: number;
  /** `count` rows, the `round`-th batch (0 first). */
  readonly draw: (count: number, round: number) => Promise<Table>;
  /** The rows of a batch that are kept, in order; called on every row drawn. */
  readonly keep: (batch: Table) => number[];
  /** The error once `limit` rows were drawn and only `kept` were kept. */
  readonly giveUp: (kept: number, drawn: number) => Error;
}

export async function keepDrawing(plan: RejectionPlan): Promise<Table> {
  const parts: Table[] = [];
  let kept = 0;
  let drawn = 0;
  for (let round = 0; kept < plan.rows; round++) {
    if (drawn >= plan.limit) throw plan.giveUp(kept, drawn);
    // Enough rows to finish at the share seen so far (with a margin), within the limit.
    const share = (kept + 1) / (drawn + 1);
    const sized = Math.max(plan.minBatch, Math.ceil((1.2 * (plan.rows - kept)) / share));
    const wanted = round === 0 && plan.firstBatch !== undefined ? plan.firstBatch : sized;
    const count = Math.min(plan.limit - drawn, plan.maxBatch ?? Infinity, wanted);
    const batch = await plan.draw(count, round);
    drawn += batch.rowCount;
    const keep = plan.keep(batch).slice(0, plan.rows - kept);
    kept += keep.length;
    parts.push(takeRows(batch, keep));
  }
  return appendTables(parts);
}

/** Tables with the same columns, one after the other. */
export function appendTables(parts: readonly Table[]): Table {
  const rowCount = parts.reduce((n, t) => n + t.rowCount, 0);
  const columns = parts[0].columns.map((first, j) => {
    if (isCategorical(first)) {
      const codes = new Int32Array(rowCount);
      let at = 0;
      for (const part of parts) {
        const column = part.columns[j] as typeof first;
        codes.set(column.codes, at);
        at += column.codes.length;
      }
      return { ...first, codes };
    }
    const values = new Float64Array(rowCount);
    let at = 0;
    for (const part of parts) {
      const column = part.columns[j] as typeof first;
      values.set(column.values, at);
      at += column.values.length;
    }
    return { ...first, values };
  });
  return { rowCount, columns };
}
