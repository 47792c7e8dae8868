/**
 * AIM (McKenna, Mullins, Sheldon and Miklau, VLDB 2022) as a Synthesizer: a graphical model over
 * the columns' bins, fitted to marginals measured under zCDP (or exactly, without a budget),
 * sampled from its junction tree and decoded back to values. Conditioning clamps the evidence in
 * the junction tree, so a conditioned sample is exact and needs no rejection.
 */
import { createRng } from '../../core/rng.js';
import type { Table } from '../../core/table.js';
import { columnTemplate, type ColumnTemplate } from '../column-template.js';
import { appendTables, conditionError, resolveCondition } from '../conditional-sampling.js';
import type { FitOptions, FitSummary, SampleOptions, SampleResult, Synthesizer } from '../synthesizer.js';
import type { Calibrated } from './belief-propagation.js';
import type { ColumnCoder } from './discretise/coder.js';
import { decodeColumn } from './discretise/decode.js';
import { fitAim, type FitOverrides } from './fit.js';
import { GraphicalModel } from './graphical-model.js';
import { loadAim, saveAim } from './persist.js';
import { sampleCodes } from './sample.js';
import { fitAimFromSource, type SourceFit } from './source-fit.js';
import type { AimParams } from './space.js';

export interface AimState {
  readonly columns: ColumnTemplate[];
  readonly coders: ColumnCoder[];
  readonly model: GraphicalModel;
  readonly training: FitSummary | null;
}

/** Salted so sampling does not share a stream with anything else the seed drives. */
const SAMPLE_SALT = 0x41494d;
/** Fewest rows (in the exact model) a --condition value must have: fewer, and sampling it copies them. */
export const MIN_CONDITION_ROWS = 5;

export class Aim implements Synthesizer {
  readonly method = 'aim';
  private state: AimState | undefined;

  constructor(
    readonly params: AimParams,
    state?: AimState,
    private readonly overrides: FitOverrides = {},
  ) {
    this.state = state;
  }

  get training(): FitSummary | null {
    return this.state?.training ?? null;
  }

  columnNames(): string[] {
    return this.requireState().columns.map((c) => c.name);
  }

  /** The fitted graphical model (for tests and benchmarks that read its marginals). */
  graphicalModel(): GraphicalModel {
    return this.requireState().model;
  }

  /** Each column's bins, as released (for tests that compare what two fits released). */
  coders(): readonly ColumnCoder[] {
    return this.requireState().coders;
  }

  async fit(table: Table, options: FitOptions): Promise<FitSummary> {
    this.dispose();
    const fitted = await fitAim(table, this.params, options, this.overrides);
    const columns = table.columns.map((column, j) => {
      const coder = fitted.coders[j];
      return coder.kind === 'categorical'
        ? { ...columnTemplate(column), levels: coder.levels }
        : columnTemplate(column);
    });
    this.state = { columns, coders: fitted.coders, model: fitted.model, training: fitted.training };
    return fitted.training;
  }

  /**
   * Fits from a statistics source (a database table, a file through DuckDB) instead of rows in
   * memory: every count comes from a query (source-fit.ts). The columns are the source's.
   */
  async fitSource(input: SourceFit, options: FitOptions): Promise<FitSummary> {
    this.dispose();
    const fitted = await fitAimFromSource(input, this.params, options, this.overrides);
    const columns = fitted.coders.map((coder): ColumnTemplate =>
      coder.kind === 'categorical'
        ? { name: coder.name, kind: 'categorical', levels: coder.levels }
        : { name: coder.name, kind: coder.columnKind },
    );
    this.state = { columns, coders: fitted.coders, model: fitted.model, training: fitted.training };
    return fitted.training;
  }

  async sample(rows: number, options: SampleOptions): Promise<SampleResult> {
    const state = this.requireState();
    const rng = createRng((options.seed ^ SAMPLE_SALT) >>> 0);
    if (!options.condition) {
      const table = this.draw(state, state.model.marginals(), rows, rng);
      options.onProgress?.(rows, rows);
      return { table, checks: [] };
    }
    const target = resolveCondition(options.condition, state.columns);
    const parts: Table[] = [];
    // Without DP the marginals are exact: a value held by a few rows would be sampled from their cells alone.
    const exact = !state.training?.privacy;
    const held = exact ? state.model.marginal([target.column]) : null;
    for (const [v, code] of target.codes.entries()) {
      options.signal?.throwIfAborted();
      if (held && held[code] < MIN_CONDITION_ROWS)
        throw conditionError(
          `{condition} ${options.condition.column}=${options.condition.values[v]}: about ${Math.round(held[code])} training row(s) hold that value, and without DP its rows would be drawn from theirs alone (copies of them)`,
          `Condition on a value at least ${MIN_CONDITION_ROWS} rows hold, or train with {epsilon}.`,
          ['epsilon'],
        );
      const size = state.model.sizes[target.column];
      const values = Float64Array.from({ length: size }, (_, b) => (b === code ? 0 : -Infinity));
      let calibrated: Calibrated;
      try {
        calibrated = state.model.conditioned([{ clique: [target.column], values }]);
      } catch {
        throw conditionError(
          `{condition} ${options.condition.column}=${options.condition.values[v]}: the model gives that value no probability`,
          'Condition on a value the training rows hold.',
        );
      }
      parts.push(this.draw(state, calibrated, rows, rng));
      options.onProgress?.((v + 1) * rows, target.codes.length * rows);
    }
    return { table: appendTables(parts), checks: [] };
  }

  private draw(state: AimState, calibrated: Calibrated, rows: number, rng: ReturnType<typeof createRng>): Table {
    const { tree, maps } = state.model;
    const codes = sampleCodes(tree, maps, calibrated.marginals, rows, rng);
    const columns = state.coders.map((coder, j) => decodeColumn(coder, state.columns[j], codes[j], rng));
    return { rowCount: rows, columns };
  }

  async save(dir: string): Promise<void> {
    const state = this.requireState();
    await saveAim(dir, { params: this.params, ...state });
  }

  static async load(dir: string): Promise<Aim> {
    const saved = await loadAim(dir);
    return new Aim(saved.params, saved);
  }

  dispose(): void {
    this.state = undefined;
  }

  private requireState(): AimState {
    if (!this.state) throw new Error('the model has not been trained or loaded');
    return this.state;
  }
}
