/**
 * Synthetic rows from a database table that never leaves it: AIM fitted on counts the database
 * computes (source-fit.ts over database-source.ts), with sample-db's checks, budget ledger and
 * audit log. In order: the audit log must take a line; the table and columns are checked against
 * the catalogue; the columns' domains come from the metadata file (never from the rows under DP);
 * the run's (epsilon, delta) is reserved in the ledger on every stored table read (refused, exit 5,
 * before any row is counted); each statistics query is logged as it is answered; the model is
 * fitted and its first chunk of rows sampled; the reservation becomes a spend before the first row
 * leaves; the rows are written (past CHUNK_ROWS a chunk at a time to the request's sink,
 * database-rows.ts) and the run is logged. A failure before the spend gives the reservation back
 * (nothing was released), one after it keeps it spent (rows may have left); either is logged, as
 * in sample-db.
 */
import { createHash } from 'node:crypto';
import { GesalpError, optionError } from '../core/errors.js';
import type { Table } from '../core/table.js';
import { AIM_FIXED_DEFAULTS, type AimParams } from '../models/aim/space.js';
import type { FitSummary } from '../models/synthesizer.js';
import { auditedRun, type AuditedRun } from '../sample-db/audit/audited-run.js';
import { chargedTargets, type ChargedTargets } from '../sample-db/charged-targets.js';
import { describeTarget, type ConnectionSpec } from '../sample-db/connection.js';
import { databaseErrors } from '../sample-db/database-errors.js';
import {
  budgetRecord,
  commitReservation,
  DEFAULT_DELTA_BUDGET,
  releaseReservation,
  reserveBudget,
  type Reserved,
} from '../sample-db/ledger/budget-ledger.js';
import { openDatabaseStatistics, type DatabaseStatistics } from '../statistics/database-source.js';
import type { SqlQuery } from '../statistics/sql.js';
import type { ChunkPlan, WrittenRows } from './chunked-output.js';
import { firstChunk, writeDatabaseRows, type DatabaseRowsJob } from './database-rows.js';
import { rowsPlan } from './output-rows.js';
import { fitSourceAim, sourceDomains, sourcePrivacy, type SourceAim, type SourceRunRequest } from './source-aim.js';

/** delta when none is given: ten runs fit sample-db's default delta budget per table (1e-6). */
export const DEFAULT_DATABASE_DELTA = 1e-7;

/** Rows to sample default to the model's own estimate of the table's rows (a DP quantity under DP). */
export interface DatabaseGenerateRequest extends SourceRunRequest {
  readonly connection: ConnectionSpec;
  readonly table: string;
  readonly columns?: readonly string[];
  readonly method: string;
  readonly timeoutMs: number;
  readonly auditLog: string;
  readonly auditKey?: Buffer;
  readonly ledger: string;
  readonly budget?: number;
  readonly deltaBudget?: number;
  readonly user: string;
  readonly driverLog?: (message: string) => void;
  /** Each statistics query as sent, for a caller that watches them (tests). */
  readonly onQuery?: (query: SqlQuery, cells: number) => void;
}

export interface DatabaseGenerateResult {
  /** The rows; past a chunk written to the sink, the first chunk alone. */
  readonly table: Table;
  /** The rows as CSV when written whole ('' when they went to the sink). */
  readonly csv: string;
  readonly output: WrittenRows;
  readonly training: FitSummary;
  readonly metadata: Record<string, unknown>;
}

const fingerprintOf = (query: SqlQuery): string =>
  createHash('sha256')
    .update(`${query.sql}\n${JSON.stringify(query.bindings)}`)
    .digest('hex')
    .slice(0, 16);

export async function generateFromDatabase(request: DatabaseGenerateRequest): Promise<DatabaseGenerateResult> {
  return auditedRun(request, async (run) => {
    checkMethod(request);
    let targets: ChargedTargets | undefined;
    const queries: string[] = [];
    const source = await openDatabaseStatistics({
      connection: request.connection,
      table: request.table,
      columns: request.columns,
      timeoutMs: request.timeoutMs,
      driverLog: request.driverLog,
      onQuery: async (query, cells) => {
        const fingerprint = fingerprintOf(query);
        queries.push(fingerprint);
        request.onQuery?.(query, cells);
        await run.audit({
          event: 'aggregate',
          query_fingerprint: fingerprint,
          target_key: targets?.own.key ?? null,
          sql: query.sql,
          cells_returned: cells,
          release: 'counts read by gesalp, noised before anything is released',
        });
      },
    });
    try {
      run.named(source.catalogue.qualified);
      return await generateWith(source, request, run, queries, (t) => (targets = t));
    } finally {
      await source.close();
    }
  });
}

function checkMethod(request: DatabaseGenerateRequest): void {
  if (request.method !== 'aim')
    throw optionError(
      'usage',
      'method',
      `{method} ${request.method} cannot read a table in the database: it trains on rows`,
      'Use {method} aim (it needs only counts), or draw a sample with sample-db and generate from that.',
    );
  if (request.epsilon === undefined && request.budget !== undefined)
    throw optionError(
      'usage',
      'budget',
      '{budget} needs {epsilon}: a run without DP spends no budget',
      'Give {epsilon}.',
      ['epsilon'],
    );
}

async function generateWith(
  source: DatabaseStatistics,
  request: DatabaseGenerateRequest,
  run: AuditedRun,
  queries: string[],
  named: (targets: ChargedTargets) => void,
): Promise<DatabaseGenerateResult> {
  const privateRun = request.epsilon !== undefined;
  const delta = request.delta ?? DEFAULT_DATABASE_DELTA;
  const client = request.connection.client;
  const targets = await databaseErrors(
    () => chargedTargets(source.knex, client, source.catalogue, source.sqlite),
    request.connection,
  );
  named(targets);
  const statistics = await sourceDomains(source, { ...request, delta });
  const params: AimParams = { ...AIM_FIXED_DEFAULTS, ...request.params };
  const started = new Date();
  const runFingerprint = createHash('sha256')
    .update(JSON.stringify({ table: source.catalogue.qualified, columns: source.columns, params, at: started }))
    .digest('hex')
    .slice(0, 16);
  const limits = { epsilon: request.budget, delta: request.deltaBudget ?? DEFAULT_DELTA_BUDGET };
  // No model is saved from a table: more rows come from another run, which the ledger charges again.
  const planRows = (rows: number) =>
    rowsPlan(
      { rowsSink: request.rowsSink },
      { rows, columns: source.columns.length },
      'run again with another seed for more (each run is charged to the ledger)',
    );
  // Rows asked for past what one run holds or writes: refused before anything is reserved or counted.
  const asked = request.rows === undefined ? undefined : planRows(request.rows);
  // Before any row is counted: the run's whole budget, on every stored table it reads.
  const reserved: Reserved | undefined = privateRun
    ? await reserveBudget(
        request.ledger,
        targets.charged,
        { epsilon: request.epsilon!, delta },
        limits,
        runFingerprint,
        started,
      )
    : undefined;
  let job: DatabaseRowsJob;
  let first: Table;
  let fit: SourceAim;
  try {
    fit = await fitSourceAim(source, statistics, { ...request, params, delta });
    const aim = fit.aim;
    job = {
      model: aim,
      plan: asked ?? estimatedPlan(planRows, Math.max(1, Math.round(aim.graphicalModel().total))),
      seed: request.seed,
      sink: request.rowsSink,
      excelSafe: request.excelSafe,
      signal: request.signal,
    };
    first = await firstChunk(job);
    // The fit stops early at Ctrl-C: its rows are not what was asked for, and none has left.
    if (request.signal?.aborted)
      throw new GesalpError('interrupted', 'stopped by Ctrl-C before any row was released; nothing is charged');
  } catch (error) {
    if (reserved) await (charges(error) ? commitReservation : releaseReservation)(request.ledger, reserved.id);
    throw error;
  }
  // Spent before the first row leaves: a failure from here on keeps it spent, and its audit line says so.
  const after = reserved ? await commitReservation(request.ledger, reserved.id) : undefined;
  const budget = reserved && after ? budgetRecord(reserved, after, limits) : null;
  run.onFailure({ query_fingerprint: runFingerprint, budget });
  const { csv, output } = await writeDatabaseRows(job, first);
  const finished = new Date();
  const privacy = sourcePrivacy(fit, request.epsilon);
  const metadata = {
    run_fingerprint: runFingerprint,
    target: describeTarget(request.connection),
    target_key: targets.own.key,
    charged_keys: privateRun ? targets.charged.map((c) => c.key) : [],
    ...(targets.view ? { view: targets.view } : {}),
    table: source.catalogue.qualified,
    columns: source.columns.map((c) => c.name),
    method: 'aim',
    release: privateRun ? 'synthetic rows under DP' : 'synthetic rows from exact marginals (no DP)',
    statistics_queries: queries.length,
    rows: output.rows,
    chunk_rows: output.chunkRows,
    privacy,
    budget,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_s: (finished.getTime() - started.getTime()) / 1000,
  };
  await run.audit({
    event: 'generate',
    query_fingerprint: runFingerprint,
    target_key: targets.own.key,
    charged_keys: metadata.charged_keys,
    columns: metadata.columns,
    method: 'aim',
    statistics_queries: queries,
    rows: output.rows,
    chunk_rows: output.chunkRows,
    release: metadata.release,
    privacy,
    budget,
  });
  return { table: first, csv, output, training: fit.training, metadata };
}

/** A refusal of the model's estimate of the rows quotes it, a DP release: the run stays charged. */
function estimatedPlan(planRows: (rows: number) => ChunkPlan, rows: number): ChunkPlan {
  try {
    return planRows(rows);
  } catch (error) {
    throw Object.assign(error as Error, { charged: true });
  }
}

const charges = (error: unknown): boolean => (error as { charged?: boolean }).charged === true;
