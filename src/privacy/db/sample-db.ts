/**
 * gesalp sample-db as a library call: check the request against the catalogue, plan the privacy
 * spend, refuse before reading anything if the budget would be passed, stream the sampled rows
 * through the mechanisms into the sink, then record metadata, ledger and audit log.
 */
import knexFactory, { type Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import { appendAudit } from '../audit-log.js';
import { checkBudget, recordSpend } from '../budget-ledger.js';
import { pickColumns, tableColumns } from './catalogue.js';
import { describeTarget, knexConfig, scrub, type ConnectionSpec } from './connection.js';
import { csvLine } from './csv-rows.js';
import { estimateBounds, estimateDomain } from './estimate.js';
import { planPrivacy, type PrivacyPlan } from './privacy-plan.js';
import { columnNoise } from './row-noise.js';
import { streamRows } from './row-stream.js';
import { queryFingerprint, sampleQuery } from './sample-query.js';

export interface SampleDbRequest {
  readonly connection: ConnectionSpec;
  readonly table: string;
  readonly columns?: readonly string[];
  readonly fraction: number;
  readonly seed?: number;
  readonly limit?: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly sensitive: readonly string[];
  readonly bounds: Record<string, [number, number]>;
  readonly domains: Record<string, string[]>;
  readonly timeoutMs: number;
  readonly auditLog: string;
  readonly ledger: string;
  readonly budget?: number;
  readonly dryRun?: boolean;
  /** Who ran it, for the audit log. */
  readonly user: string;
}

export interface RowSink {
  write(text: string): void | Promise<void>;
}

export interface SampleDbResult {
  readonly metadata: Record<string, unknown>;
  readonly sql: string;
}

export async function sampleDb(request: SampleDbRequest, sink: RowSink): Promise<SampleDbResult> {
  const target = describeTarget(request.connection);
  const knex = knexFactory(knexConfig(request.connection));
  const started = new Date();
  const audit = (entry: Record<string, unknown>) =>
    appendAudit(
      request.auditLog,
      { at: new Date().toISOString(), user: request.user, target, table: request.table, ...entry },
      [request.connection.password ?? ''],
    );
  try {
    const available = await withDatabaseErrors(
      () => tableColumns(knex, request.connection.client, request.table),
      request,
    );
    const columns = pickColumns(available, request.columns, request.table);
    const plan = planPrivacy({ ...request, columns });
    const query = sampleQuery(knex, request.connection.client, {
      table: request.table,
      columns: columns.map((c) => c.name),
      fraction: request.fraction,
      seed: request.seed,
      limit: request.limit,
    });
    const sql = query.toSQL().sql;
    const fingerprint = queryFingerprint(query);
    const base = {
      query_fingerprint: fingerprint,
      sql,
      target,
      table: request.table,
      columns: columns.map((c) => c.name),
      fraction: request.fraction,
      seed: request.seed ?? null,
      limit: request.limit ?? null,
    };
    const cost = plan?.effectiveEpsilon ?? 0;
    const ledgerKey = `${target}/${request.table}`;
    if (request.dryRun) return { sql, metadata: { ...base, dry_run: true, privacy: privacyReport(plan) } };
    let spentBefore: number | undefined;
    if (request.budget !== undefined) {
      try {
        spentBefore = await checkBudget(request.ledger, ledgerKey, cost, request.budget);
      } catch (error) {
        await audit({
          event: 'refused',
          query_fingerprint: fingerprint,
          epsilon: cost,
          reason: (error as Error).message,
        });
        throw error;
      }
    }
    const { rows } = await withDatabaseErrors(async () => {
      if (plan) await estimateMissing(knex, request, plan);
      const noise = columns.map((c) => {
        const sensitive = plan?.columns.find((p) => p.name === c.name);
        return sensitive ? columnNoise(sensitive) : undefined;
      });
      await sink.write(csvLine(columns.map((c) => c.name)));
      let count = 0;
      for await (const row of streamRows(knex, request.connection.client, query, { timeoutMs: request.timeoutMs })) {
        await sink.write(csvLine(columns.map((c, k) => (noise[k] ? noise[k]!(row[c.name]) : row[c.name]))));
        count++;
      }
      return { rows: count };
    }, request).catch(async (error: unknown) => {
      await audit({ event: 'failed', query_fingerprint: fingerprint, reason: (error as Error).message });
      throw error;
    });
    const spentAfter = cost > 0 ? await recordSpend(request.ledger, ledgerKey, cost, fingerprint, started) : undefined;
    const finished = new Date();
    const metadata = {
      ...base,
      rows,
      privacy: privacyReport(plan),
      budget:
        request.budget !== undefined || spentAfter !== undefined
          ? { limit: request.budget ?? null, spent_before: spentBefore ?? null, spent_after: spentAfter ?? null }
          : null,
      started_at: started.toISOString(),
      finished_at: finished.toISOString(),
      duration_s: (finished.getTime() - started.getTime()) / 1000,
    };
    await audit({
      event: 'sample',
      query_fingerprint: fingerprint,
      sql,
      columns: base.columns,
      fraction: request.fraction,
      seed: request.seed ?? null,
      rows,
      privacy: metadata.privacy,
    });
    return { sql, metadata };
  } finally {
    await knex.destroy();
  }
}

async function estimateMissing(knex: Knex, request: SampleDbRequest, plan: PrivacyPlan): Promise<void> {
  for (const column of plan.columns) {
    if (column.source !== 'estimated') continue;
    if (column.mechanism === 'laplace')
      column.bounds = await estimateBounds(knex, request.table, column.name, column.estimationEpsilon);
    else column.domain = await estimateDomain(knex, request.table, column.name, column.estimationEpsilon, plan.delta!);
  }
}

function privacyReport(plan: PrivacyPlan | null): Record<string, unknown> | null {
  if (!plan) return null;
  return {
    epsilon: plan.epsilon,
    q: plan.q,
    row_epsilon: plan.rowEpsilon,
    row_epsilon_amplified: plan.rowEpsilonAmplified,
    estimation_epsilon: plan.estimationEpsilon,
    effective_epsilon: plan.effectiveEpsilon,
    ...(plan.delta !== undefined ? { delta: plan.delta } : {}),
    note: 'amplification by sampling holds against anyone who does not know --seed',
    columns: plan.columns.map((c) => ({
      column: c.name,
      mechanism: c.mechanism,
      epsilon: c.epsilon,
      ...(c.mechanism === 'laplace'
        ? {
            bounds: c.bounds ?? 'estimated at run time',
            laplace_scale: c.bounds ? (c.bounds[1] - c.bounds[0]) / c.epsilon : null,
          }
        : { domain: c.domain ?? 'estimated at run time' }),
      source: c.source,
      estimation_epsilon: c.estimationEpsilon,
    })),
  };
}

/** Driver errors become exit 6, with any password scrubbed from the message. */
async function withDatabaseErrors<T>(action: () => Promise<T>, request: SampleDbRequest): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof GesalpError) throw error;
    // knex prefixes the driver's message with the whole SQL text and " - ".
    const raw = String((error as Error)?.message ?? error);
    const message = scrub(
      /^(select|set|begin|commit)\b/i.test(raw) && raw.includes(' - ') ? raw.slice(raw.lastIndexOf(' - ') + 3) : raw,
      request.connection.password,
    );
    throw new GesalpError(
      'database',
      `database error: ${message}`,
      "Check the connection settings, the password source and the user's read permission on the table.",
    );
  }
}
