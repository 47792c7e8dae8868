/**
 * The statistics queries as SQL text with knex-style placeholders (`??` an identifier, checked
 * against the catalogue and quoted by the runner; `?` a bound value): a row count, a column's
 * bounds, its rounding step, and counts over binned columns. Every grouped query is
 *
 *   select gesalp_b0, ..., count(*) as gesalp_n
 *   from (select CASE ... END as gesalp_b0, ... from T) as gesalp_binned
 *   group by gesalp_b0, ...
 *
 * so it groups only by CASE expressions over the bins given (public or DP-released edges and
 * level lists), never by a column, and returns at most one row per cell. No query returns a row
 * of the table.
 */
import type { Binning, GridBinning, LevelsBinning, PiecesBinning } from './binning.js';
import { numberExpression, textExpression, type Dialect, type StoredType } from './dialect.js';

export type Binding = string | number;

export interface SqlQuery {
  readonly sql: string;
  readonly bindings: Binding[];
}

/** What the queries need to know of the table: how to name it and how each column is stored. */
export interface SqlTarget {
  readonly dialect: Dialect;
  /** The FROM item, with its own placeholders (knex: `??` and the catalogue's qualified name). */
  readonly from: SqlQuery;
  stored(column: string): StoredType;
}

/** Expression text and bindings built together, so placeholders and values stay in order. */
class Builder {
  readonly parts: string[] = [];
  readonly bindings: Binding[] = [];
  add(text: string, ...bindings: Binding[]): this {
    this.parts.push(text);
    this.bindings.push(...bindings);
    return this;
  }
  query(): SqlQuery {
    return { sql: this.parts.join(''), bindings: this.bindings };
  }
}

/** Placeholders an expression template holds for the column's name. */
const identifiers = (template: string): number => template.split('??').length - 1;

function value(b: Builder, target: SqlTarget, column: string, asText = false): void {
  const template = asText ? textExpression(target.dialect) : numberExpression(target.dialect, target.stored(column));
  b.add(template, ...Array<string>(identifiers(template)).fill(column));
}

/** A balanced CASE over the pieces: log2(pieces) comparisons per row, not one per piece. */
function piecesCase(b: Builder, target: SqlTarget, binning: PiecesBinning): void {
  const walk = (lo: number, hi: number) => {
    if (lo === hi) {
      b.add(String(binning.pieces[lo].bin | 0));
      return;
    }
    const mid = (lo + hi) >> 1;
    const piece = binning.pieces[mid];
    b.add('case when ');
    value(b, target, binning.column);
    b.add(piece.inclusive ? ' <= ?' : ' < ?', piece.upper);
    b.add(' then ');
    walk(lo, mid);
    b.add(' else ');
    walk(mid + 1, hi);
    b.add(' end');
  };
  b.add('case when ?? is null then ', binning.column);
  b.add(String(binning.missing | 0));
  b.add(' else ');
  walk(0, binning.pieces.length - 1);
  b.add(' end');
}

function levelsCase(b: Builder, target: SqlTarget, binning: LevelsBinning): void {
  b.add('case when ?? is null then ', binning.column);
  b.add(String(binning.missing | 0));
  binning.levels.forEach((level, i) => {
    b.add(' when ');
    value(b, target, binning.column, true);
    b.add(` = ? then ${i}`, level);
  });
  b.add(` else ${binning.other | 0} end`);
}

/** Grid cells come back as floor((v - start) / width); missing, below and above as -1, -2, -3 (gridCell maps them). */
function gridCase(b: Builder, target: SqlTarget, binning: GridBinning): void {
  b.add('case when ?? is null then -1 when ', binning.column);
  value(b, target, binning.column);
  b.add(' < ? then -2 when ', binning.start);
  value(b, target, binning.column);
  b.add(' >= ? then -3 else floor((', binning.start + binning.count * binning.width);
  value(b, target, binning.column);
  b.add(' - ?) / ?) end', binning.start, binning.width);
}

/** A grid's cell from what its CASE returned; floor() one cell past an edge by rounding is clamped. */
export function gridCell(binning: GridBinning, raw: number): number {
  if (raw === -1) return binning.missing;
  if (raw === -2) return binning.below;
  if (raw === -3) return binning.above;
  return Math.min(binning.count - 1, Math.max(0, raw));
}

export const binAlias = (k: number): string => `gesalp_b${k}`;
export const COUNT_ALIAS = 'gesalp_n';

const keptAlias = (k: number): string => `gesalp_k${k}`;

/** Every row's cell under the binnings, as columns gesalp_k0, ...: what a kept-bins table holds. */
export function binnedRowsQuery(target: SqlTarget, binnings: readonly Binning[]): SqlQuery {
  const b = new Builder().add('select ');
  binnings.forEach((binning, k) => {
    if (k > 0) b.add(', ');
    binningCase(b, target, binning);
    b.add(` as ${keptAlias(k)}`);
  });
  return b
    .add(' from ')
    .add(target.from.sql, ...target.from.bindings)
    .query();
}

/** Counts per cell over kept bins (columns `kept` of a table made by binnedRowsQuery). */
export function keptMarginalQuery(table: string, kept: readonly number[]): SqlQuery {
  const items = kept.map((k, i) => `${keptAlias(k)} as ${binAlias(i)}`);
  const columns = kept.map((k) => keptAlias(k));
  return {
    sql: `select ${items.join(', ')}, count(*) as ${COUNT_ALIAS} from ${table} group by ${columns.join(', ')}`,
    bindings: [],
  };
}

function binningCase(b: Builder, target: SqlTarget, binning: Binning): void {
  if (binning.kind === 'pieces') piecesCase(b, target, binning);
  else if (binning.kind === 'grid') gridCase(b, target, binning);
  else levelsCase(b, target, binning);
}

/** Row counts per cell of the binned columns (cells with no row are absent). */
export function marginalQuery(target: SqlTarget, binnings: readonly Binning[]): SqlQuery {
  const b = new Builder();
  if (binnings.length === 0)
    return b
      .add(`select count(*) as ${COUNT_ALIAS} from `)
      .add(target.from.sql, ...target.from.bindings)
      .query();
  const aliases = binnings.map((_, k) => binAlias(k));
  b.add(`select ${aliases.join(', ')}, count(*) as ${COUNT_ALIAS} from (select `);
  binnings.forEach((binning, k) => {
    if (k > 0) b.add(', ');
    binningCase(b, target, binning);
    b.add(` as ${aliases[k]}`);
  });
  b.add(' from ').add(target.from.sql, ...target.from.bindings);
  b.add(`) as gesalp_binned group by ${aliases.join(', ')}`);
  return b.query();
}

/** Smallest and largest value (as numbers), rows, and rows with a value: aggregates only. */
export function boundsQuery(target: SqlTarget, column: string): SqlQuery {
  const b = new Builder().add('select min(');
  value(b, target, column);
  b.add(') as gesalp_min, max(');
  value(b, target, column);
  b.add(') as gesalp_max, count(*) as gesalp_rows, count(??) as gesalp_present from ', column);
  return b.add(target.from.sql, ...target.from.bindings).query();
}

/** Per candidate step, the rows whose value is not a multiple of it (aggregates only). */
export function stepQuery(target: SqlTarget, column: string, steps: readonly number[]): SqlQuery {
  const b = new Builder().add('select ');
  steps.forEach((step, k) => {
    if (k > 0) b.add(', ');
    // |v / step - round(v / step)| > 1e-9 (1 + |v / step|): not on the grid, up to rounding error.
    b.add('sum(case when abs(');
    value(b, target, column);
    b.add(' / ? - round(', step);
    value(b, target, column);
    b.add(' / ?)) > 1e-9 * (1 + abs(', step);
    value(b, target, column);
    b.add(` / ?)) then 1 else 0 end) as gesalp_s${k}`, step);
  });
  b.add(' from ').add(target.from.sql, ...target.from.bindings);
  return b.query();
}
