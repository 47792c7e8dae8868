/**
 * Sampling under the metadata file's constraints, as SDV's reject_sampling does: every drawn row is
 * tested, rows that break a constraint are dropped, and more are drawn until the rows asked for
 * hold every constraint (rejection-sampling.ts's loop, as --condition's). Rejection keeps the
 * model's distribution, conditioned on the constraints; a transform such as clamping into a range
 * would not (it piles the broken rows up on the bound, a spike the real rows do not have).
 * Past CONSTRAINT_DRAW_LIMIT times the rows asked for, sampling gives up, naming the constraint
 * held least: a model that rarely holds it has not learnt what the constraint says.
 */
import { optionError } from '../core/errors.js';
import { formatCount } from '../core/text/format.js';
import { rowTest, type BoundConstraint } from '../core/schema/constraint-rows.js';
import { describeConstraint } from '../core/schema/constraints.js';
import type { Table } from '../core/table.js';
import { appendTables, keepDrawing } from '../models/rejection-sampling.js';
import type { SampleCheck, SampleOptions, SampleResult, Synthesizer } from '../models/synthesizer.js';

/** Rows drawn at most (per --condition value), as a multiple of the rows asked for (at least CONSTRAINT_MIN_BATCH). */
export const CONSTRAINT_DRAW_LIMIT = 50;
/** The smallest batch after the first: each draw has a fixed cost (a diffusion model's timesteps). */
const CONSTRAINT_MIN_BATCH = 1000;
/** Seeds of the batches after the first, apart from the model's own stream of the same seed. */
const CONSTRAINT_SALT = 0xc0c5;

/** The report's constraints section: each constraint, and what holding them cost. */
export interface ConstraintsRecord {
  /** Rows the model drew; every one was tested. */
  readonly rows_drawn: number;
  /** Rows that broke at least one constraint: dropped. */
  readonly rows_rejected: number;
  /** Rows that held every constraint but were drawn past the count asked for. */
  readonly rows_unused: number;
  readonly constraints: readonly ConstraintRecord[];
}

export interface ConstraintRecord {
  readonly type: string;
  readonly rule: string;
  /** Share of the drawn rows that held it, before rejection. */
  readonly held_share: number;
  readonly rows_broken: number;
  /** fixed_combinations: how many combinations were allowed, and where they came from. */
  readonly combinations?: number;
  readonly combinations_from?: string;
}

/** `rows` rows (of each --condition value) that hold every constraint; without constraints, the model's plain sample. */
export async function sampleConstrained(
  model: Synthesizer,
  rows: number,
  options: SampleOptions,
  constraints: readonly BoundConstraint[],
): Promise<{ readonly sampled: SampleResult; readonly record: ConstraintsRecord | null }> {
  if (!constraints.length) return { sampled: await model.sample(rows, options), record: null };
  const tally = new Tally(constraints);
  // With a condition, each value's rows are held apart, so that each value still gets `rows`.
  const condition = options.condition;
  const groups = condition ? condition.values.map((value) => ({ ...condition, values: [value] })) : [undefined];
  let checks: SampleCheck[] = [];
  const parts: Table[] = [];
  for (const [v, group] of groups.entries()) {
    const draw = async (count: number, round: number) => {
      const first = v === 0 && round === 0;
      const result = await model.sample(count, {
        // The first batch is the plain sample: a run whose rows all hold is the run without constraints.
        seed: first ? options.seed : ((options.seed ^ CONSTRAINT_SALT) + 7919 * v + round) >>> 0,
        signal: options.signal,
        ...(group ? { condition: group } : {}),
        ...(round === 0 && options.onProgress
          ? { onProgress: (done: number) => options.onProgress!(v * rows + done, groups.length * rows) }
          : {}),
      });
      if (first) checks = result.checks;
      return result.table;
    };
    const name = group ? ` with {condition} ${group.column}=${group.values[0]}` : '';
    parts.push(
      await keepDrawing({
        rows,
        limit: Math.max(CONSTRAINT_DRAW_LIMIT * rows, CONSTRAINT_MIN_BATCH),
        minBatch: CONSTRAINT_MIN_BATCH,
        maxBatch: Math.max(rows, CONSTRAINT_MIN_BATCH),
        firstBatch: rows,
        draw,
        keep: (batch) => tally.keep(batch),
        giveUp: (kept, drawn) => tally.giveUp(kept, drawn, rows, name),
      }),
    );
  }
  const table = appendTables(parts);
  return { sampled: { table, checks }, record: tally.record(table.rowCount) };
}

/** Counts, over every drawn row, the rows that broke each constraint. */
class Tally {
  private drawn = 0;
  private rejected = 0;
  private readonly broken: number[];

  constructor(private readonly constraints: readonly BoundConstraint[]) {
    this.broken = constraints.map(() => 0);
  }

  keep(batch: Table): number[] {
    const tests = this.constraints.map((c) => rowTest(c, batch));
    const kept: number[] = [];
    for (let r = 0; r < batch.rowCount; r++) {
      let holds = true;
      tests.forEach((test, i) => {
        if (!test(r)) {
          this.broken[i]++;
          holds = false;
        }
      });
      if (holds) kept.push(r);
      else this.rejected++;
    }
    this.drawn += batch.rowCount;
    return kept;
  }

  /** The error once the limit is reached: the constraint held least, with its share. */
  giveUp(kept: number, drawn: number, rows: number, name: string): Error {
    const worst = this.broken.indexOf(Math.max(...this.broken));
    const constraint = this.constraints[worst].constraint;
    const at = constraint.source ? ` (${constraint.source.file} "${constraint.source.key}")` : '';
    // A combination of values the model never samples cannot hold: under DP, rare categories become "(other)".
    const values =
      constraint.type === 'fixed_combinations'
        ? ` A combination holds only if the model samples its values: under DP a category the release did not keep is "(other)" (declare the columns' "categories" in the file).`
        : '';
    const fewer = kept
      ? `, or ask for fewer rows ({rows} ${Math.max(1, Math.floor((kept * rows) / drawn))} or so)`
      : '';
    // The constraints are the metadata's; the texts name options as `{name}` (the CLI: its flags).
    return optionError(
      'usage',
      'metadata',
      `constraint ${describeConstraint(constraint)}${at} held in ${percent(1 - this.broken[worst] / this.drawn)} of ${formatCount(this.drawn)} sampled rows${name}, and every constraint together in ${percent(kept / drawn)}; sampling stops after ${CONSTRAINT_DRAW_LIMIT} times the rows asked for`,
      `Check the constraint against the real rows (if real rows break it, it is wrong), or train the model longer so that it learns what the constraint says${fewer}.${values}`,
      ['condition', 'rows'],
    );
  }

  record(written: number): ConstraintsRecord {
    return {
      rows_drawn: this.drawn,
      rows_rejected: this.rejected,
      rows_unused: this.drawn - this.rejected - written,
      constraints: this.constraints.map((c, i) => ({
        type: c.constraint.type,
        rule: describeConstraint(c.constraint),
        held_share: round4(1 - this.broken[i] / this.drawn),
        rows_broken: this.broken[i],
        ...(c.combinations ? { combinations: c.combinations.length, combinations_from: c.combinationsFrom } : {}),
      })),
    };
  }
}

/** The terminal's one line on the constraints. */
export function constraintsLine(record: ConstraintsRecord): string {
  const shares = record.constraints.map((c) => `${c.rule}: ${percent(c.held_share)} held`).join('; ');
  return `constraints: every written row holds the ${record.constraints.length}; ${formatCount(record.rows_rejected)} of ${formatCount(record.rows_drawn)} sampled rows broke one and were dropped (${shares})`;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const percent = (share: number) => `${(100 * share).toFixed(share > 0.999 && share < 1 ? 2 : 1)} %`;
