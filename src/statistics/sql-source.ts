/**
 * The statistics interface over any engine that runs the queries of sql.ts: the runner sends one
 * query and returns its (few) result rows; this class builds the queries and reads the counts.
 */
import { bucketBinning, levelBinning, type Binning } from './binning.js';
import type { StoredType } from './dialect.js';
import { histogramQuantiles } from './quantiles.js';
import {
  binAlias,
  binnedRowsQuery,
  gridCell,
  keptMarginalQuery,
  boundsQuery,
  COUNT_ALIAS,
  marginalQuery,
  stepQuery,
  type SqlQuery,
  type SqlTarget,
} from './sql.js';
import {
  cellsOf,
  sourceColumn,
  type ColumnBounds,
  type LevelCounts,
  type SourceColumn,
  type StatisticsSource,
} from './source.js';

export type Row = Record<string, unknown>;

export interface SqlRunner {
  readonly target: Omit<SqlTarget, 'stored'>;
  readonly description: string;
  readonly columns: readonly SourceColumn[];
  run(query: SqlQuery): Promise<Row[]>;
  /** Optional: stores the rows of `query` as a table of the engine's own, returning its name. */
  keep?(query: SqlQuery): Promise<string>;
  close(): Promise<void>;
}

/** A count or aggregate as a number, whatever type the driver gives it (bigint, decimal text). */
export const numberOf = (value: unknown): number =>
  value === null || value === undefined ? NaN : typeof value === 'number' ? value : Number(value);

export class SqlStatistics implements StatisticsSource {
  private readonly target: SqlTarget;
  /** The kept bins' table and the binnings it holds, by their column order there. */
  private kept: { table: string; binnings: readonly Binning[] } | undefined;
  readonly keepBins?: (binnings: readonly Binning[]) => Promise<void>;

  constructor(private readonly runner: SqlRunner) {
    const stored = (name: string): StoredType => {
      const kind = sourceColumn(runner, name).kind;
      return kind === 'datetime' ? 'date' : kind === 'numeric' ? 'number' : 'text';
    };
    this.target = { ...runner.target, stored };
    const keep = runner.keep?.bind(runner);
    if (keep)
      this.keepBins = async (binnings) => {
        for (const b of binnings) sourceColumn(this, b.column);
        this.kept = { table: await keep(binnedRowsQuery(this.target, binnings)), binnings };
      };
  }

  get description(): string {
    return this.runner.description;
  }

  get columns(): readonly SourceColumn[] {
    return this.runner.columns;
  }

  async count(): Promise<number> {
    return (await this.marginal([]))[0];
  }

  async bounds(column: string): Promise<ColumnBounds> {
    sourceColumn(this, column);
    const [row] = await this.runner.run(boundsQuery(this.target, column));
    const present = numberOf(row?.gesalp_present) || 0;
    return {
      min: present ? numberOf(row.gesalp_min) : NaN,
      max: present ? numberOf(row.gesalp_max) : NaN,
      rows: numberOf(row?.gesalp_rows) || 0,
      present,
    };
  }

  async step(column: string, candidates: readonly number[]): Promise<number> {
    sourceColumn(this, column);
    if (candidates.length === 0) return 0;
    const [row] = await this.runner.run(stepQuery(this.target, column, candidates));
    const k = candidates.findIndex((_, i) => !(numberOf(row?.[`gesalp_s${i}`]) > 0));
    return k >= 0 ? candidates[k] : 0;
  }

  async quantiles(column: string, probabilities: readonly number[]): Promise<number[]> {
    return histogramQuantiles(await this.bounds(column), probabilities, (start, width, count) =>
      this.gridHistogram(column, start, width, count),
    );
  }

  /** Rows in each of `count` equal cells from `start` (values outside and missing ones not counted). */
  async gridHistogram(column: string, start: number, width: number, count: number): Promise<number[]> {
    const grid = {
      kind: 'grid' as const,
      column,
      start,
      width,
      count,
      below: count,
      above: count,
      missing: count,
      size: count + 1,
    };
    return Array.from((await this.marginal([grid])).subarray(0, count));
  }

  async histogram(column: string, edges: readonly number[]): Promise<number[]> {
    sourceColumn(this, column);
    const counts = await this.marginal([bucketBinning(column, edges)]);
    return Array.from(counts.subarray(0, edges.length - 1));
  }

  async levelCounts(column: string, levels: readonly string[]): Promise<LevelCounts> {
    sourceColumn(this, column);
    const counts = await this.marginal([levelBinning(column, levels)]);
    return {
      counts: Array.from(counts.subarray(0, levels.length)),
      other: counts[levels.length],
      missing: counts[levels.length + 1],
    };
  }

  async marginal(binnings: readonly Binning[]): Promise<Float64Array> {
    for (const b of binnings) sourceColumn(this, b.column);
    const out = new Float64Array(cellsOf(binnings));
    // Over kept bins (the same binning objects), the engine's own table of cells answers.
    const kept = this.kept && binnings.length ? binnings.map((b) => this.kept!.binnings.indexOf(b)) : [];
    const query =
      kept.length && kept.every((k) => k >= 0)
        ? keptMarginalQuery(this.kept!.table, kept)
        : marginalQuery(this.target, binnings);
    const rows = await this.runner.run(query);
    for (const row of rows) {
      let cell = 0;
      binnings.forEach((b, k) => {
        const raw = numberOf(row[binAlias(k)]);
        const bin = b.kind === 'grid' && Number.isInteger(raw) ? gridCell(b, raw) : raw;
        if (!(Number.isInteger(bin) && bin >= 0 && bin < b.size))
          throw new Error(`a statistics query returned bin ${String(row[binAlias(k)])} for ${b.column}`);
        cell = cell * b.size + bin;
      });
      out[cell] += numberOf(row[COUNT_ALIAS]);
    }
    return out;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
